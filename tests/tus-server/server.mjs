// A real tus 1.0.0 server for hexin's end-to-end tests: @tus/server with a FileStore, plus
// hooks that check each upload's SHA-256 and turn a commit document into a package directory.
//
// Usage: node server.mjs [--store DIR] [--packages DIR] [--port N] [--exit-with-stdin]
// (or TUS_STORE_DIR, TUS_PACKAGES_DIR, TUS_PORT). Port 0 picks a free port. Once listening it
// prints exactly one line to stdout: `listening http://127.0.0.1:PORT/files/`.
// --exit-with-stdin: exit when stdin closes, so the server dies with the test that started it.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string' },
    packages: { type: 'string' },
    port: { type: 'string' },
    'exit-with-stdin': { type: 'boolean' },
  },
});
const storeDir = path.resolve(args.store ?? process.env.TUS_STORE_DIR ?? 'tus-store');
const packagesDir = path.resolve(args.packages ?? process.env.TUS_PACKAGES_DIR ?? 'tus-packages');
const port = Number.parseInt(args.port ?? process.env.TUS_PORT ?? '0', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port: ${args.port ?? process.env.TUS_PORT}`);
  process.exit(2);
}

const HOST = '127.0.0.1';
const PATH = '/files';
const MAX_SIZE = 1024 ** 3;
/** Largest commit document read into memory. */
const MAX_COMMIT_BYTES = 16 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$/i;

/** A package's file-name rule, the same as hexin-core's `manifest::is_safe_file_name`
 * (tests/tests/harness.rs checks that both agree). */
function isSafeFileName(name) {
  return typeof name === 'string' && FILE_NAME.test(name) && !name.startsWith('.') && !name.endsWith('.')
    && name !== 'manifest.json' && !WINDOWS_DEVICE.test(name.split('.')[0]);
}
const UPLOAD_ID = /^[A-Za-z0-9_-]+$/;

await fs.mkdir(storeDir, { recursive: true });
await fs.mkdir(packagesDir, { recursive: true });

/** A rejection that @tus/server turns into an HTTP response. */
class Reject {
  constructor(status_code, body) {
    this.status_code = status_code;
    this.body = body;
  }
}

async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** The stored upload `id` (data file and `<id>.json` info), or a 422 rejection. */
async function storedUpload(id) {
  if (!UPLOAD_ID.test(id)) throw new Reject(422, `bad upload id ${JSON.stringify(id)}`);
  const dataPath = path.join(storeDir, id);
  let info;
  let stat;
  try {
    info = JSON.parse(await fs.readFile(`${dataPath}.json`, 'utf8'));
    stat = await fs.stat(dataPath);
  } catch {
    throw new Reject(422, `upload ${id} not found`);
  }
  if (!stat.isFile() || typeof info.size !== 'number' || stat.size !== info.size) {
    throw new Reject(422, `upload ${id} is not complete`);
  }
  return { dataPath, metadata: info.metadata ?? {} };
}

/** The package directory's manifest `seal.digest`, or null when it has none or is unreadable. */
async function existingDigest(dir) {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
    return manifest?.seal?.digest ?? null;
  } catch {
    return null;
  }
}

function checkCommit(doc) {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Reject(422, 'not an object');
  if (doc.schema !== 'hexin.commit' || doc.version !== 1) throw new Reject(422, 'bad schema or version');
  if (typeof doc.package_id !== 'string' || !HEX32.test(doc.package_id)) throw new Reject(422, 'bad package_id');
  if (typeof doc.digest !== 'string' || !HEX64.test(doc.digest)) throw new Reject(422, 'bad digest');
  if (typeof doc.manifest !== 'string') throw new Reject(422, 'bad manifest');
  if (!Array.isArray(doc.materials)) throw new Reject(422, 'bad materials');
  const names = new Set();
  for (const m of doc.materials) {
    if (m === null || typeof m !== 'object') throw new Reject(422, 'bad material');
    if (!isSafeFileName(m.file)) {
      throw new Reject(422, `bad file name ${JSON.stringify(m.file)}`);
    }
    if (names.has(m.file)) throw new Reject(422, `duplicate file ${m.file}`);
    names.add(m.file);
    if (typeof m.sha256 !== 'string' || !HEX64.test(m.sha256)) throw new Reject(422, `bad sha256 for ${m.file}`);
    if (typeof m.url !== 'string') throw new Reject(422, `bad url for ${m.file}`);
  }
  let manifest;
  try {
    manifest = JSON.parse(doc.manifest);
  } catch {
    throw new Reject(422, 'manifest is not JSON');
  }
  if (manifest?.package_id !== doc.package_id) throw new Reject(422, 'manifest package_id differs');
  if (manifest?.seal?.digest !== doc.digest) throw new Reject(422, 'manifest seal.digest differs');
  const entries = Array.isArray(manifest.materials) ? manifest.materials : [];
  const listed = new Map(entries.map((e) => [e?.file, e?.sha256]));
  if (listed.size !== entries.length || listed.size !== doc.materials.length
    || doc.materials.some((m) => listed.get(m.file) !== m.sha256)) {
    throw new Reject(422, 'materials differ from the manifest');
  }
}

/** The upload id named by a material URL: its last path segment. */
function uploadIdOf(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Reject(422, `bad url ${JSON.stringify(url)}`);
  }
  return decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
}

async function commit(upload, dataPath) {
  const stat = await fs.stat(dataPath);
  if (stat.size > MAX_COMMIT_BYTES) throw new Reject(422, 'commit document too large');
  let doc;
  try {
    doc = JSON.parse(await fs.readFile(dataPath, 'utf8'));
  } catch {
    throw new Reject(422, 'commit document is not JSON');
  }
  checkCommit(doc);

  const sources = [];
  for (const m of doc.materials) {
    const stored = await storedUpload(uploadIdOf(m.url));
    if (stored.metadata.sha256 !== m.sha256) throw new Reject(422, `${m.file}: upload metadata sha256 differs`);
    if ((await sha256File(stored.dataPath)) !== m.sha256) throw new Reject(422, `${m.file}: stored bytes differ`);
    sources.push([m.file, stored.dataPath]);
  }

  const finalDir = path.join(packagesDir, doc.package_id);
  const already = await existingDigest(finalDir);
  if (already !== null) {
    if (already === doc.digest) return;
    throw new Reject(422, 'package exists with another digest');
  }
  const tmpDir = path.join(packagesDir, `.tmp-${doc.package_id}-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(tmpDir);
    await fs.writeFile(path.join(tmpDir, 'manifest.json'), doc.manifest, 'utf8');
    for (const [file, source] of sources) await fs.copyFile(source, path.join(tmpDir, file));
    await fs.rename(tmpDir, finalDir);
  } catch (error) {
    await fs.rm(tmpDir, { recursive: true, force: true });
    // A concurrent commit of the same package may have won the rename.
    if ((await existingDigest(finalDir)) === doc.digest) return;
    throw new Reject(422, `cannot write package: ${error.code ?? 'error'}`);
  }
}

async function onUploadFinish(_req, upload) {
  const dataPath = path.join(storeDir, upload.id);
  const metadata = upload.metadata ?? {};
  try {
    const actual = await sha256File(dataPath);
    if (metadata.sha256 !== actual) {
      throw new Reject(metadata.kind === 'commit' ? 422 : 460, 'sha256 mismatch');
    }
    if (metadata.kind === 'commit') await commit(upload, dataPath);
  } catch (error) {
    if (error instanceof Reject) throw error;
    throw new Reject(422, `cannot check upload: ${error.code ?? error.message}`);
  }
  // The POST handler reads fields off the returned value, so never return undefined.
  return {};
}

let listenPort = port;
const tus = new Server({
  path: PATH,
  datastore: new FileStore({ directory: storeDir }),
  maxSize: MAX_SIZE,
  respectForwardedHeaders: false,
  relativeLocation: false,
  // Absolute URLs name this server itself, whatever Host the client (or a proxy) sent.
  generateUrl: (_req, { id }) => `http://${HOST}:${listenPort}${PATH}/${id}`,
  onUploadFinish,
});

const http = tus.listen({ host: HOST, port }, () => {
  listenPort = http.address().port;
  process.stdout.write(`listening http://${HOST}:${listenPort}${PATH}/\n`);
});
http.on('error', (error) => {
  console.error(`tus server: ${error.message}`);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
if (args['exit-with-stdin']) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
