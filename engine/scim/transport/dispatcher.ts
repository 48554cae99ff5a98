import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { AppError } from '../../../shared/errors/errors';
import type { TransportOptions } from './types';

type DispatcherSettings = Pick<
  TransportOptions,
  'tls' | 'proxyUrl' | 'timeoutMs' | 'maxConcurrency'
>;

/**
 * Builds the undici dispatcher for one connection: a keep-alive pool sized to the concurrency cap,
 * the system roots plus any private CA the admin added, TLS verification on unless explicitly off,
 * and an HTTP(S) proxy when configured (CONNECT tunnel; the target TLS settings apply inside it).
 */
export function createDispatcher(settings: DispatcherSettings): Dispatcher {
  const verify = settings.tls?.verify !== false;
  const extraCas = settings.tls?.caCertsPem ?? [];
  for (const pem of extraCas) {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new AppError(
        'config',
        'A CA certificate of this connection is not in PEM format (-----BEGIN CERTIFICATE-----).',
      );
    }
  }
  const tls = {
    // Passing `ca` replaces Node's default roots, so keep them and add the private CA on top.
    ...(extraCas.length > 0 ? { ca: [...rootCertificates, ...extraCas] } : {}),
    rejectUnauthorized: verify,
  };
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const common = {
    // One connection per in-flight request; our own limiter keeps requests ≤ maxConcurrency.
    connections: Math.max(1, settings.maxConcurrency ?? 8),
    pipelining: 1,
    // Idle sockets close before common server idle timeouts (Node 5 s, nginx 75 s) would reset them
    // under a request; a reused socket the server already dropped is the main source of
    // ambiguous POST failures.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  const connectTimeout = Math.min(timeoutMs, 15_000);
  if (settings.proxyUrl) {
    let proxy: URL;
    try {
      proxy = new URL(settings.proxyUrl);
    } catch (e) {
      throw new AppError(
        'config',
        `The proxy URL "${settings.proxyUrl}" is not a valid URL.`,
        {},
        { cause: e },
      );
    }
    const token =
      proxy.username || proxy.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
        : undefined;
    proxy.username = '';
    proxy.password = '';
    return new ProxyAgent({
      ...common,
      uri: proxy.toString(),
      ...(token ? { token } : {}),
      requestTls: { ...tls, timeout: connectTimeout },
    });
  }
  return new Agent({ ...common, connect: { ...tls, timeout: connectTimeout } });
}
