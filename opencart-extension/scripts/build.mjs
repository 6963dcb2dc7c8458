// Builds the two installable packages into dist/:
//  - oc_xero_connector.ocmod.zip     OpenCart 4.0.x / 4.1.x (install.json + admin/ catalog/ system/ at the root;
//                                     the installer unpacks it into extension/oc_xero_connector/, the code is the file name)
//  - oc-xero-connector-3.ocmod.zip   OpenCart 3.0.x (install.xml OCMOD + upload/ copied over the store)
// The shared PHP (the API client, the view patcher) is copied into both from src/common.
import AdmZip from 'adm-zip';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function addTree(zip, from, prefix) {
  for (const file of files(from))
    zip.addFile(join(prefix, relative(from, file)).split('\\').join('/'), readFileSync(file));
}

function addCommon(zip, into) {
  for (const file of files(join(src, 'common')))
    zip.addFile(`${into}/${relative(join(src, 'common'), file)}`, readFileSync(file));
}

export function build() {
  mkdirSync(dist, { recursive: true });

  const oc4 = new AdmZip();
  addTree(oc4, join(src, 'oc4'), '');
  addCommon(oc4, 'system/library');
  const oc4File = join(dist, 'oc_xero_connector.ocmod.zip');
  oc4.writeZip(oc4File);

  const oc3 = new AdmZip();
  addTree(oc3, join(src, 'oc3'), '');
  addCommon(oc3, 'upload/system/library/oc_xero_connector');
  const oc3File = join(dist, 'oc-xero-connector-3.ocmod.zip');
  oc3.writeZip(oc3File);
  return { oc4: oc4File, oc3: oc3File };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = build();
  for (const f of Object.values(out))
    console.log(`built ${relative(process.cwd(), f)} (${statSync(f).size} bytes)`);
}
