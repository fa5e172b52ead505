import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import type { TlsIdentity } from './faultProxy';

/**
 * A fresh self-signed certificate for 127.0.0.1 (and localhost), made in this process (an EC P-256 key and a minimal
 * X.509 v3 certificate written in DER, no openssl CLI). Its names match and it is valid for a day either side of
 * now, so the only thing wrong with it is that nobody trusts it.
 */
export function selfSignedCertificate(): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const name = sequence(set(sequence(oid('2.5.4.3'), der(0x0c, Buffer.from('localhost')))));
  const day = 24 * 60 * 60 * 1000;
  const subjectAltName = sequence(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])));
  const serial = randomBytes(8);
  serial[0] &= 0x7f; // positive
  const tbsCertificate = sequence(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(utcTime(new Date(Date.now() - day)), utcTime(new Date(Date.now() + day))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, sequence(sequence(oid('2.5.29.17'), der(0x04, subjectAltName)))),
  );
  const signature = sign('sha256', tbsCertificate, privateKey);
  const certificate = sequence(tbsCertificate, ecdsaWithSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = ['-----BEGIN CERTIFICATE-----', ...(certificate.toString('base64').match(/.{1,64}/g) ?? []), '-----END CERTIFICATE-----', ''].join('\n');
  // Parses it and checks its own signature, so a mistake here fails here, not as a puzzling TLS error later.
  const parsed = new X509Certificate(cert);
  if (!parsed.verify(publicKey) || !parsed.checkIP('127.0.0.1') || !parsed.checkHost('localhost')) {
    throw new Error('The test certificate is not what it should be.');
  }
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
}

/** A DER element: tag, definite length, contents. */
function der(tag: number, contents: Buffer): Buffer {
  const length = contents.length;
  const lengthBytes = length < 0x80 ? Buffer.from([length]) : lengthOf(length);
  return Buffer.concat([Buffer.from([tag]), lengthBytes, contents]);
}

function lengthOf(length: number): Buffer {
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...elements: Buffer[]): Buffer {
  return der(0x30, Buffer.concat(elements));
}

function set(...elements: Buffer[]): Buffer {
  return der(0x31, Buffer.concat(elements));
}

function integer(value: Buffer): Buffer {
  return der(0x02, value);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) {
      base128.unshift(0x80 | (value & 0x7f));
    }
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

/** YYMMDDHHMMSSZ, for dates before 2050. */
function utcTime(date: Date): Buffer {
  return der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
}
