// How messages become output lines, and input lines become payloads.
import { DecodeError, EncodeError, InvalidOptionError } from 'rxjs-socket';
import { encodeLine, formatFrame, parseCodecName } from '../../lib/cli/message-format';
import { thrown } from '../helpers/frames';

describe('formatFrame', () => {
  it('prints JSON compact on one line', () => {
    expect(formatFrame('json', Buffer.from('{ "a" : [1, "x\\ny"] }'))).toBe('{"a":[1,"x\\ny"]}');
  });

  it('prints UTF-8 text with CR and LF escaped', () => {
    expect(formatFrame('utf8', Buffer.from('héllo\r\nworld'))).toBe('héllo\\r\\nworld');
  });

  it('prints raw frames as lowercase hex', () => {
    expect(formatFrame('raw', Uint8Array.of(0x00, 0xab, 0x0a))).toBe('00ab0a');
  });

  it.each([
    ['json', Buffer.from('{nope')],
    ['utf8', Uint8Array.of(0xff, 0xfe)],
  ] as const)('throws a DecodeError for a frame the %s codec cannot decode', (codec, frame) => {
    const error = thrown(() => formatFrame(codec, frame));
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_DECODE', frameBytes: frame.byteLength });
  });
});

describe('encodeLine', () => {
  it('parses JSON lines and sends them compact', () => {
    expect(Buffer.from(encodeLine('json', ' { "a": [1, 2] } ', false)).toString()).toBe('{"a":[1,2]}');
  });

  it('sends UTF-8 lines as they are', () => {
    expect(Buffer.from(encodeLine('utf8', 'é {', false)).toString()).toBe('é {');
  });

  it('sends raw lines as their UTF-8 bytes, or as hex with --hex', () => {
    expect(Buffer.from(encodeLine('raw', '00 ff', false)).toString()).toBe('00 ff');
    expect(Buffer.from(encodeLine('raw', '00 ff\t0A', true)).toString('hex')).toBe('00ff0a');
    expect(encodeLine('raw', '', true).byteLength).toBe(0);
  });

  it.each([
    ['json', 'not json', false],
    ['raw', '0g', true],
    ['raw', 'abc', true],
  ] as const)('throws an EncodeError for a %s line it cannot use (%j)', (codec, line, hex) => {
    const error = thrown(() => encodeLine(codec, line, hex));
    expect(error).toBeInstanceOf(EncodeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_ENCODE' });
  });
});

describe('parseCodecName', () => {
  it('accepts json, utf8 and raw and rejects anything else', () => {
    expect(['json', 'utf8', 'raw'].map(parseCodecName)).toEqual(['json', 'utf8', 'raw']);
    const error = thrown(() => parseCodecName('msgpack'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_INVALID_OPTION', option: '--codec', value: 'msgpack' });
  });
});
