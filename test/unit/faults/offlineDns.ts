import { globalAgent } from 'node:https';
import type { LookupFunction } from 'node:net';

/** Node's (libuv's) errno for getaddrinfo's EAI_NONAME, which it reports as ENOTFOUND. */
const UV_EAI_NONAME = -3008;

export interface OfflineDns {
  /** Every host name a lookup was asked for while installed. */
  readonly lookups: readonly string[];
  uninstall(): void;
}

/**
 * Makes https requests resolve host names without asking any DNS server: every name gets the immediate
 * negative answer RFC 6761 §6.4 asks resolvers to give for `.invalid` (glibc does not: it sends the query to
 * the configured nameserver). The token client takes no lookup option, so the hook goes where Node's https
 * module takes one from when the request names no agent: the global agent's options, which it passes to
 * tls.connect and net.connect. IP literals are never looked up, so loopback requests are unaffected.
 */
export function installOfflineDns(): OfflineDns {
  const lookups: string[] = [];
  const previous = globalAgent.options.lookup;
  const lookup: LookupFunction = (hostname, _options, callback) => {
    lookups.push(hostname);
    process.nextTick(() => callback(notFound(hostname), ''));
  };
  globalAgent.options.lookup = lookup;
  return {
    lookups,
    uninstall: () => {
      if (previous) {
        globalAgent.options.lookup = previous;
      } else {
        delete globalAgent.options.lookup;
      }
    },
  };
}

/** The error dns.lookup gives for a name that does not exist. */
function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: UV_EAI_NONAME, syscall: 'getaddrinfo', hostname });
}
