// Builds the two installable packages into dist/ from ONE source:
//  - oc_xero_connector.ocmod.zip     OpenCart 4.0.x / 4.1.x (install.json + admin/ catalog/ system/ at the root;
//                                     the installer unpacks it into extension/oc_xero_connector/, the code is the file name)
//  - oc-xero-connector-3.ocmod.zip   OpenCart 3.0.x (install.xml OCMOD + upload/ copied over the store)
// src/common holds everything both releases share, written to each release's own place:
//   library/*.php        the API client, the view patcher, the admin controller's shared half (trait
//                        AdminBridge) and the storefront's order event (trait OrderNudge)
//   language/<code>.php  the texts, one file per language (OpenCart's code: en-gb, de-de, …)
//   template/*.twig      the order panel and the product tab (the release's classes come in `ui`)
// src/oc3 and src/oc4 hold only what differs: the controllers' release half and the settings page.
import AdmZip from 'adm-zip';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Where each release keeps the shared parts (paths inside its package). */
export const LAYOUT = {
  oc4: {
    zip: 'oc_xero_connector.ocmod.zip',
    library: 'system/library',
    language: (code) => `admin/language/${code}/module/xero_connector.php`,
    template: 'admin/view/template/module',
  },
  oc3: {
    zip: 'oc-xero-connector-3.ocmod.zip',
    library: 'upload/system/library/oc_xero_connector',
    language: (code) => `upload/admin/language/${code}/extension/module/xero_connector.php`,
    template: 'upload/admin/view/template/extension/module',
  },
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function addTree(zip, from, prefix) {
  for (const file of files(from)) zip.addFile(join(prefix, relative(from, file)).split('\\').join('/'), readFileSync(file));
}

/** The package's entries: its own tree, then the shared parts at the release's places. */
export function entries(release, from = src) {
  const layout = LAYOUT[release];
  const common = join(from, 'common');
  const zip = new AdmZip();
  addTree(zip, join(from, release), '');
  addTree(zip, join(common, 'library'), layout.library);
  addTree(zip, join(common, 'template'), layout.template);
  for (const file of readdirSync(join(common, 'language'))) {
    const code = file.replace(/\.php$/, '');
    if (!/^[a-z]{2}(-[a-z]{2})?$/.test(code)) throw new Error(`src/common/language/${file}: name it by OpenCart's language code, e.g. en-gb.php`);
    zip.addFile(layout.language(code), readFileSync(join(common, 'language', file)));
  }
  return zip;
}

export function build() {
  mkdirSync(dist, { recursive: true });
  const out = {};
  for (const release of Object.keys(LAYOUT)) {
    out[release] = join(dist, LAYOUT[release].zip);
    entries(release).writeZip(out[release]);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = build();
  for (const f of Object.values(out)) console.log(`built ${relative(process.cwd(), f)} (${statSync(f).size} bytes)`);
}
