import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsIdentity } from './faultProxy';

/**
 * A fresh self-signed certificate for 127.0.0.1 (and localhost), made with the openssl CLI in a temporary
 * directory that is removed at once. Its names match, so the only thing wrong with it is that nobody trusts it.
 */
export function selfSignedCertificate(): TlsIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'fortellis-faults-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1', '-keyout', key, '-out', cert],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
