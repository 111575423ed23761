// Every --framing form, checked by the bytes it puts on the wire and by decoding them back.
import { crc32 } from 'node:zlib';
import { InvalidOptionError, jsocketFraming, onelineFraming, packetsocketFraming, RxSocketError, varintPrefix, type Framing } from 'rxjs-socket';
import { MAIN_HELP } from '../../lib/cli/help';
import { FRAMING_FORMS, parseFraming } from '../../lib/cli/parse-framing';
import { decodeAll, thrown } from '../helpers/frames';

const payload = Buffer.from('hi');
const crcBE = (bytes: Buffer): string => {
  const field = Buffer.alloc(4);
  field.writeUInt32BE(crc32(bytes));
  return field.toString('hex');
};
const crcLE = (bytes: Buffer): string => {
  const field = Buffer.alloc(4);
  field.writeUInt32LE(crc32(bytes));
  return field.toString('hex');
};

function wireHex(framing: Framing): string {
  return Buffer.concat(framing.encodeFrame(payload)).toString('hex');
}

describe('parseFraming', () => {
  it.each([
    ['length', '00000002' + '6869'],
    ['length:1', '02' + '6869'],
    ['length:2', '0002' + '6869'],
    ['length:2:le', '0200' + '6869'],
    ['length:4:be', '00000002' + '6869'],
    ['length:8:le', '0200000000000000' + '6869'],
    ['length:2:incl', '0004' + '6869'],
    ['length:4:le:incl', '06000000' + '6869'],
    ['varint', '02' + '6869'],
    ['lines', '6869' + '0a'],
    ['delimiter:00', '6869' + '00'],
    ['delimiter:0d0a', '6869' + '0d0a'],
    ['delimiter:0x0D0A', '6869' + '0d0a'],
    ['header:PK', '504b' + '00000002' + '6869'],
    ['header:PK:2', '504b' + '0002' + '6869'],
    ['header:PK:2:le', '504b' + '0200' + '6869'],
    ['header:PK:crc32', '504b' + '00000002' + crcBE(payload) + '6869'],
    ['header:0x00ff:4:le:crc32', '00ff' + '02000000' + crcLE(payload) + '6869'],
    ['header:#!?&:1:be', '23213f26' + '02' + '6869'],
  ])('frames a payload as %s describes', (spec, expected) => {
    const framing = parseFraming(spec);
    expect(wireHex(framing)).toBe(expected);
    expect(decodeAll(framing, [Buffer.from(expected, 'hex')])).toEqual([payload]);
  });

  it.each<[string, Framing]>([
    ['jsocket', jsocketFraming('v1')],
    ['jsocket-v1', jsocketFraming('v1')],
    ['jsocket-legacy', jsocketFraming('legacy')],
    ['jsocket-v2', jsocketFraming('v2')],
    ['oneline', onelineFraming()],
    ['packetsocket', packetsocketFraming()],
    ['header:0x4a534e31:4:be:crc32', jsocketFraming('v2')],
    ['header:#!?&:4:le', packetsocketFraming()],
  ])('makes %s the same wire format as its preset', (spec, preset) => {
    const framing = parseFraming(spec);
    expect(wireHex(framing)).toBe(wireHex(preset));
    expect(framing.name).toBe(preset.name);
  });

  it('makes varint an unsigned LEB128 length, as varintPrefix() writes it, and lists it in the help', () => {
    const framing = parseFraming('varint');
    expect(framing.name).toBe(varintPrefix().name);
    const long = Buffer.alloc(300, 1);
    expect(Buffer.concat(framing.encodeFrame(long)).subarray(0, 2).toString('hex')).toBe('ac02');
    expect(decodeAll(framing, [Buffer.concat(framing.encodeFrame(long))])).toEqual([long]);
    expect(FRAMING_FORMS).toContain('varint');
    expect(MAIN_HELP).toMatch(/^ {2}varint +unsigned LEB128/m);
  });

  it('keeps the 10 MiB limit of jsocket-v2', () => {
    expect(parseFraming('jsocket-v2').maxFrameBytes).toBe(10 * 1024 * 1024);
  });

  it.each([
    ['', FRAMING_FORMS],
    ['json', FRAMING_FORMS],
    ['Lines', FRAMING_FORMS],
    ['length:3', 'length:N'],
    ['length:04', 'length:N'],
    ['length:le', 'length:N'],
    ['length:4:xx', 'length:N'],
    ['length:4:incl:le', 'length:N'],
    ['length:4:le:incl:incl', 'length:N'],
    ['delimiter', 'delimiter:HEX'],
    ['delimiter:', 'delimiter:HEX'],
    ['delimiter:0', 'delimiter:HEX'],
    ['delimiter:zz', 'delimiter:HEX'],
    ['delimiter:0x', 'delimiter:HEX'],
    ['delimiter:00:01', 'delimiter:HEX'],
    ['header', 'header:MAGIC'],
    ['header:', 'header:MAGIC'],
    ['header:0x', 'header:MAGIC'],
    ['header:0xabc', 'header:MAGIC'],
    ['header:AB:3', 'header:MAGIC'],
    ['header:AB:le', 'header:MAGIC'],
    ['header:AB:4:le:md5', 'header:MAGIC'],
    ['header:AB:crc32:4', 'header:MAGIC'],
  ])('rejects %j with an InvalidOptionError naming the expected form', (spec, expected) => {
    const error = thrown(() => parseFraming(spec));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_INVALID_OPTION', option: '--framing', value: spec });
    expect((error as Error).message).toContain(expected);
  });
});
