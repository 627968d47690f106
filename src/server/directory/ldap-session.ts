// One LDAP session: a fresh connection per call with bounded connect, TLS and operation
// timeouts, StartTLS when configured, and every failure turned into an `LdapError` with a
// code and a message that names no secret.
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import type { LdapDirectoryConfig } from './ldap-config';

export type LdapErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'invalid-credentials'
  | 'tls'
  | 'config'
  | 'invalid-request'
  | 'server';

export class LdapError extends Error {
  constructor(
    readonly code: LdapErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LdapError';
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function isTlsFailure(error: Error & { code?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  return (
    /CERT|SELF_SIGNED|ERR_SSL|ERR_TLS|UNABLE_TO_(GET|VERIFY)/.test(code) ||
    /certificate|SSL routines|TLS/.test(error.message)
  );
}

export interface Session {
  client: Client;
  /** Binds with the configured service account, or stays anonymous when none is set. */
  bindService(): Promise<void>;
}

function tlsOptionsOf(config: LdapDirectoryConfig): tls.ConnectionOptions {
  const { hostname } = new URL(config.url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const options: tls.ConnectionOptions = {
    host,
    rejectUnauthorized: config.verifyCertificate,
    minVersion: 'TLSv1.2',
  };
  // SNI takes host names only.
  if (isIP(host) === 0) options.servername = host;
  if (config.caCertificate !== undefined)
    options.ca = [...tls.rootCertificates, config.caCertificate];
  return options;
}

/**
 * Runs `work` on a fresh connection (StartTLS first when configured) and always closes it.
 * `secret` is a password that must not leak into an error message.
 */
export async function withSession<T>(
  config: LdapDirectoryConfig,
  work: (session: Session) => Promise<T>,
  secret?: string,
): Promise<T> {
  const { connectMs, operationMs } = config.timeouts;
  const tlsOptions = tlsOptionsOf(config);
  const client = new Client({
    url: config.url,
    connectTimeout: connectMs,
    timeout: operationMs,
    // ldapts speaks TLS from the start whenever tlsOptions are given, even to ldap:// URLs.
    ...(config.url.startsWith('ldaps:') ? { tlsOptions } : {}),
    // ldapts bounds the TCP connect and each operation, not the TLS handshake of StartTLS.
    createSecureConnection: ((...args: unknown[]) => {
      const socket = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args);
      const timer = setTimeout(
        () => socket.destroy(new Error('TLS handshake: Operation timed out')),
        connectMs,
      );
      socket.once('secureConnect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
      return socket;
    }) as typeof tls.connect,
  });
  const bindService = async () => {
    const { bindDn, bindPassword } = config;
    if (bindDn === undefined || bindPassword === undefined) return;
    try {
      await client.bind(bindDn, bindPassword);
    } catch (error) {
      if (error instanceof InvalidCredentialsError)
        throw new LdapError(
          'config',
          `directory "${config.name}": the server refused the bind DN "${bindDn}" and its password`,
        );
      throw error;
    }
  };
  try {
    if (config.startTls) await startTls(config, client, tlsOptions);
    return await work({ client, bindService });
  } catch (error) {
    throw describe(config, error, [config.bindPassword, secret]);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function startTls(
  config: LdapDirectoryConfig,
  client: Client,
  options: tls.ConnectionOptions,
): Promise<void> {
  try {
    await client.startTLS(options);
  } catch (error) {
    if (error instanceof ResultCodeError)
      throw new LdapError(
        'tls',
        `${describeDirectory(config)}: the server refused StartTLS (${error.message})`,
      );
    throw error;
  }
}

function describeDirectory(config: LdapDirectoryConfig): string {
  return `directory "${config.name}" (${config.url})`;
}

/** Turns whatever ldapts or Node threw into an LdapError that names no secret. */
function describe(
  config: LdapDirectoryConfig,
  error: unknown,
  secrets: (string | undefined)[],
): LdapError {
  const described = classify(config, error);
  let message = described.message;
  for (const secret of secrets)
    if (secret !== undefined && secret !== '') message = message.split(secret).join('***');
  return message === described.message ? described : new LdapError(described.code, message);
}

function classify(config: LdapDirectoryConfig, error: unknown): LdapError {
  if (error instanceof LdapError) return error;
  const where = describeDirectory(config);
  if (!(error instanceof Error)) return new LdapError('server', `${where}: ${String(error)}`);
  const code = (error as Error & { code?: unknown }).code;
  const { connectMs, operationMs } = config.timeouts;
  if (error.message === 'Connection timeout')
    return new LdapError('timeout', `${where}: no connection within ${connectMs} ms`);
  if (error.message.startsWith('TLS handshake: Operation timed out'))
    return new LdapError('timeout', `${where}: no TLS handshake within ${connectMs} ms`);
  if (error.message.includes('Operation timed out'))
    return new LdapError('timeout', `${where}: no answer within ${operationMs} ms`);
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code))
    return new LdapError('unreachable', `${where} cannot be reached (${code})`);
  if (error.message.startsWith('Connection closed before message response'))
    return new LdapError('unreachable', `${where} closed the connection`);
  if (isTlsFailure(error))
    return new LdapError(
      'tls',
      `${where}: TLS failed: ${typeof code === 'string' ? code : error.message}`,
    );
  return new LdapError('server', `${where}: ${error.message}`);
}
