import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test CA, server key and server certificate (CN/SAN localhost, 127.0.0.1) from spec/fixtures/tls. */
export interface TlsFixture {
  /** The test CA certificate: a client that trusts it accepts `cert`. */
  readonly ca: Buffer;
  /** The server's private key. */
  readonly key: Buffer;
  /** The server's certificate, signed by `ca`. */
  readonly cert: Buffer;
}

const dir = join(__dirname, '..', 'fixtures', 'tls');

/** Reads the TLS test fixtures (see spec/fixtures/tls/README.md to regenerate them). */
export function tlsFixture(): TlsFixture {
  return {
    ca: readFileSync(join(dir, 'ca.pem')),
    key: readFileSync(join(dir, 'server-key.pem')),
    cert: readFileSync(join(dir, 'server-cert.pem')),
  };
}
