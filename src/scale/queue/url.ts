/**
 * `--queue redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS): parsing, checking
 * and a form safe to print (the password never leaves this module but in the connection options).
 */
import { InputError } from '../../util/errors.js';

/** A parsed queue URL. */
export interface QueueUrl {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL without its password, for messages and logs. */
  safe: string;
}

/**
 * Parses and checks a queue URL.
 *
 * @throws InputError naming `flag` for anything but `redis://` / `rediss://` with a host, a port
 *   from 1 to 65535 and a database number (the message never shows the password).
 * @example
 * parseQueueUrl('redis://:s3cret@10.0.0.5:6379/2'); // { host: '10.0.0.5', port: 6379, db: 2, password: 's3cret', safe: 'redis://:***@10.0.0.5:6379/2', ... }
 */
export function parseQueueUrl(text: string, flag = '--queue'): QueueUrl {
  const bad = (why: string) => new InputError(`${why}; expected redis://[:password@]host[:port][/db]`, { flag });
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad(`not a URL: ${JSON.stringify(text.replace(/:[^@\s/]*@/g, ':***@'))}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`unsupported scheme "${u.protocol.replace(/:$/, '')}"`);
  if (!u.hostname) throw bad('no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`bad port "${u.port}"`);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw bad(`the database must be a number, got "/${path}"`);
  if (u.search || u.hash) throw bad('no query or fragment is read');
  const db = path === '' ? 0 : Number(path);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = u.username || u.password ? `${u.username}${u.password ? ':***' : ''}@` : '';
  return { host, port, db, username, password, tls: u.protocol === 'rediss:', safe: `${u.protocol}//${auth}${u.hostname}:${port}/${db}` };
}

/**
 * `text` with any password of a URL in it replaced by `***`.
 *
 * @example
 * redactUrl('redis://:s3cret@host:6379/0'); // 'redis://:***@host:6379/0'
 */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
