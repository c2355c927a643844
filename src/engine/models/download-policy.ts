import { FacetError } from '../../common/errors';
import type { ModelManifest } from './manifest-schema';

/** Where downloads may go: https to the manifest's hosts (and their CDNs on redirect), nothing else. */
export interface DownloadPolicy {
  /** Hosts of the manifest's own URLs: the only hosts a download may start at. */
  originHosts: Set<string>;
  /** Hosts (or parents of hosts) a download may be redirected to. */
  redirectHosts: string[];
  /** Tests only: allow plain http to 127.0.0.1 / localhost / ::1. */
  allowHttpLoopback: boolean;
  /** The user's mirror host (FACET_MODEL_MIRROR): allowed as an origin, over http too (a LAN mirror). */
  mirrorHost?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function downloadPolicy(manifest: ModelManifest, allowHttpLoopback = false, mirror?: string): DownloadPolicy {
  const originHosts = new Set(manifest.models.flatMap((m) => m.files.map((f) => new URL(f.url).host)));
  const mirrorHost = mirror ? new URL(mirror).host : undefined;
  if (mirrorHost) originHosts.add(mirrorHost);
  return { originHosts, redirectHosts: manifest.redirectHosts ?? [], allowHttpLoopback, ...(mirrorHost ? { mirrorHost } : {}) };
}

/**
 * Plain http only to the user's own mirror: every file is checked against the manifest's sha256 (or the
 * host's content ETag), and a file that cannot be verified is rejected whatever the transport.
 */
function checkProtocol(url: URL, policy: DownloadPolicy): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && policy.mirrorHost === url.host) return;
  if (url.protocol === 'http:' && policy.allowHttpLoopback && LOOPBACK.has(url.hostname)) return;
  throw new FacetError('unsupported', `Refusing to download over ${url.protocol.replace(':', '')}: models are fetched over https only (${url.href}).`);
}

export function checkOrigin(url: URL, policy: DownloadPolicy): void {
  checkProtocol(url, policy);
  if (!policy.originHosts.has(url.host)) {
    throw new FacetError('unsupported', `Refusing to download from ${url.host}: it is not a host named in the model manifest.`);
  }
}

export function checkRedirect(url: URL, policy: DownloadPolicy): void {
  checkProtocol(url, policy);
  const host = url.hostname;
  const allowed = policy.originHosts.has(url.host) || policy.redirectHosts.some((h) => host === h || host.endsWith(`.${h}`));
  if (!allowed) throw new FacetError('unsupported', `Refusing a redirect to ${url.host}: it is not a host the model manifest trusts.`);
}
