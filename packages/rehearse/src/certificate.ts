import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MissingToolError } from './engine.js';
import { exec, tail } from './private/exec.js';

export interface LocalCertificate {
  /** The certificate alone: what a client trusts (the hooks' LISTENER_CA_FILE). */
  readonly certificateFile: string;
  /** Certificate and key in one file, as HAProxy's `crt` takes them. */
  readonly bundleFile: string;
}

/**
 * A self-signed certificate for the site's name, valid for one day, made
 * with openssl: the production listener then terminates TLS as the ALB's
 * HTTPS listener does, and the hook checks it with the site's name (SNI).
 */
export async function makeCertificate(directory: string, host: string): Promise<LocalCertificate> {
  const certificateFile = join(directory, 'listener.crt');
  const keyFile = join(directory, 'listener.key');
  const made = await exec('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=DNS:${host}`,
    '-keyout',
    keyFile,
    '-out',
    certificateFile,
  ]);
  if (made.code === 127) {
    throw new MissingToolError('openssl is not installed (Debian: apt-get install openssl)');
  }
  if (made.code !== 0)
    throw new Error(`openssl could not make a certificate:\n${tail(made.stderr)}`);
  const bundleFile = join(directory, 'listener.pem');
  const [certificate, key] = await Promise.all([
    readFile(certificateFile, 'utf8'),
    readFile(keyFile, 'utf8'),
  ]);
  await writeFile(bundleFile, certificate + key, { mode: 0o600 });
  return { certificateFile, bundleFile };
}
