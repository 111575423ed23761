/** Help texts of the `rxsocket` command: one overview and one page per command. */

const FRAMINGS = `Framings (--framing):
  length                        u32 big-endian payload length, then the payload
  length:N[:le|be][:incl]       N-byte length (N = 1, 2, 4, 8), big-endian unless :le;
                                :incl when the length counts the length field too
  varint                        unsigned LEB128 (varint) length, then the payload
                                (protobuf delimited, it-length-prefixed)
  lines                         lines ending in LF (CR kept)
  delimiter:HEX                 frames ending in these bytes: delimiter:00, delimiter:0d0a
  header:MAGIC[:N[:le|be]][:crc32]
                                MAGIC, an N-byte payload size (default 4, big-endian),
                                a CRC-32 of the payload if :crc32, then the payload.
                                MAGIC is UTF-8 text, or hex after 0x (header:0x4a534e31);
                                a magic containing ':' must be given in hex
  jsocket (= jsocket-v1)        u32 BE length          jsocket-legacy   u32 LE length
  jsocket-v2                    JSN1, u32 BE length, u32 BE CRC-32 (10 MiB max)
  oneline                       LF lines               packetsocket     #!?&, u32 LE length
  A frame carries up to 16 MiB (less when its length field is smaller).

Codecs (--codec, default utf8):
  utf8    text (strict UTF-8); printed as is, with CR and LF shown as \\r and \\n
  json    JSON; printed compact; each input line is JSON.parse'd and sent compact
  raw     bytes; printed as lowercase hex; input lines sent as their UTF-8 bytes,
          or as hex with --hex (connect only: "00 ff 0a")`;

/** `rxsocket --help`. */
export const MAIN_HELP = `rxsocket: netcat for framed messages.

Usage:
  rxsocket listen  [--host H] [--port P | --path UNIX] --framing F [--codec C] [--echo | --broadcast]
  rxsocket connect [--host H] --port P | --path UNIX   --framing F [--codec C] [--hex]
  rxsocket proxy   [--listen-host H] [--listen P] --target HOST:PORT --framing F [--codec C]
  rxsocket <command> --help

Commands:
  listen    accept clients and print every message they send, one per line
  connect   send each stdin line as a message, print each message received
  proxy     relay clients to a target, logging every message with its direction

Messages go to stdout, one per line. Status lines, errors and the closing summary
(messages and wire bytes each way) go to stderr, and so does a frame the codec cannot
decode, as hex (the proxy logs it as hex and relays it anyway). Servers bind 127.0.0.1
unless told otherwise.

${FRAMINGS}

Exit codes: 0 done (a signal is the normal way to stop listen and proxy), 1 a socket
failed or an input line was skipped, 2 a bad command line.

Examples:
  rxsocket listen --port 7000 --framing lines --echo
  printf 'hello\\nworld\\n' | rxsocket connect --port 7000 --framing lines
  rxsocket proxy --listen 7001 --target 127.0.0.1:7000 --framing jsocket-v2 --codec json
`;

/** `rxsocket listen --help`. */
export const LISTEN_HELP = `Usage: rxsocket listen [--host H] [--port P | --path UNIX] --framing F [--codec C] [--echo | --broadcast]

Accepts clients and prints each message they send as one line on stdout. Prints
"listening on ADDRESS" on stderr once bound, and clients connecting and closing.
SIGINT or SIGTERM stops accepting and closes every client gracefully (a second
one closes them at once), then a summary goes to stderr.

Options:
  --host H        address to bind (default 127.0.0.1; 0.0.0.0 or :: for every interface)
  --port P        port to bind (default 0: a free port, shown in the "listening on" line)
  --path UNIX     a Unix domain socket path instead of --host and --port
  --framing F     framing of both directions (required; see rxsocket --help)
  --codec C       utf8 (default), json or raw: how messages are printed
  --echo          send each message back to its sender
  --broadcast     send each message to every connected client, the sender included
  -h, --help      this help

Examples:
  rxsocket listen --framing lines
  rxsocket listen --port 7000 --framing jsocket --codec json --echo
  rxsocket listen --path /tmp/chat.sock --framing lines --broadcast
  rxsocket listen --port 7000 --framing header:0x4a534e31:4:be:crc32 --codec raw
`;

/** `rxsocket connect --help`. */
export const CONNECT_HELP = `Usage: rxsocket connect [--host H] --port P | --path UNIX --framing F [--codec C] [--hex]

Connects, sends each stdin line as one message, and prints each message received
as one line on stdout. When stdin ends it sends what is left, half-closes, and
exits once the peer ends too; if the peer closes first, it exits at once. A line
that cannot be sent (not JSON, not hex, containing the delimiter, too large) is
reported on stderr and skipped. A summary goes to stderr on exit.

Options:
  --host H        host to connect to (default 127.0.0.1)
  --port P        port to connect to
  --path UNIX     a Unix domain socket path instead of --host and --port
  --framing F     framing of both directions (required; see rxsocket --help)
  --codec C       utf8 (default): each line is a message; json: each line is parsed
                  and sent as compact JSON; raw: each line's UTF-8 bytes
  --hex           with --codec raw: each line is hex ("00 ff 0a", spaces ignored)
  -h, --help      this help

A line ends at LF; a CR just before it is dropped, so CRLF input works too.

Examples:
  printf 'ping\\n' | rxsocket connect --port 7000 --framing lines
  echo '{"cmd": "status"}' | rxsocket connect --port 7000 --framing jsocket-v2 --codec json
  echo '01 02 ff' | rxsocket connect --port 7000 --framing length:2 --codec raw --hex
  rxsocket connect --path /tmp/chat.sock --framing lines      # type lines, Ctrl-D to end
`;

/** `rxsocket proxy --help`. */
export const PROXY_HELP = `Usage: rxsocket proxy [--listen-host H] [--listen P] --target HOST:PORT --framing F [--codec C]

Accepts clients, connects each one to the target, and relays frames both ways,
byte for byte (half-closes included). Each message is logged on stdout as
  ISO-TIME #N -> MESSAGE     from client N to the target
  ISO-TIME #N <- MESSAGE     from the target to client N
Connections and failures are logged on stderr. SIGINT or SIGTERM closes everything
gracefully (a second one at once), then a summary goes to stderr.

Options:
  --listen P          port to bind (default 0: a free port, shown on stderr)
  --listen-host H     address to bind (default 127.0.0.1)
  --target HOST:PORT  where to relay to ([ADDRESS]:PORT for IPv6)
  --framing F         framing of both sides (required; see rxsocket --help)
  --codec C           utf8 (default), json or raw: how messages are logged
  -h, --help          this help

Examples:
  rxsocket proxy --listen 7001 --target 127.0.0.1:7000 --framing lines
  rxsocket proxy --listen 7001 --target db.local:5489 --framing jsocket --codec json
`;
