// Reading imsmanifest.xml as an LMS does: which resources are SCOs and the
// URL that launches each.

import { DOMParser } from "@xmldom/xmldom";

export const NS = {
  imscp: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
  adlcp: "http://www.adlnet.org/xsd/adlcp_rootv1p2",
  imsmd: "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
  xml: "http://www.w3.org/XML/1998/namespace",
};

/** parseXML parses text strictly: any error or warning throws. */
export function parseXML(text, what = "XML") {
  const parser = new DOMParser({
    onError(level, message) {
      throw new Error(`${what}: ${level}: ${message}`);
    },
  });
  return parser.parseFromString(text, "text/xml");
}

/** isScorm12Manifest reports whether text is an IMS content package
 * manifest of SCORM 1.2 (root <manifest> in the IMS CP 1.1.2 namespace). */
export function isScorm12Manifest(text) {
  let doc;
  try {
    doc = parseXML(text);
  } catch {
    return false;
  }
  const root = doc.documentElement;
  return root?.localName === "manifest" && root.namespaceURI === NS.imscp;
}

function children(el, ns, name) {
  const out = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && n.namespaceURI === ns && n.localName === name) out.push(n);
  }
  return out;
}

function child(el, ns, name) {
  return children(el, ns, name)[0] ?? null;
}

function textOf(el) {
  return el ? el.textContent.trim() : "";
}

function xmlBase(el) {
  return el?.getAttributeNS(NS.xml, "base") || "";
}

/** launchURL joins an item's parameters to a resource's href as the ADL
 * guidelines for SCORM 1.2 say. */
export function launchURL(href, parameters) {
  let params = (parameters || "").trim();
  if (!params) return href;
  while (params.startsWith("?") || params.startsWith("&")) params = params.slice(1);
  if (params.startsWith("#")) return href.includes("#") ? href : href + params;
  if (!params) return href;
  return href + (href.includes("?") ? "&" : "?") + params;
}

/**
 * parseManifest reads a SCORM 1.2 manifest.
 * @returns {{identifier: string, schemaversion: string,
 *   defaultOrganization: string, title: string,
 *   items: {identifier: string, title: string, identifierref: string, parameters: string,
 *     masteryscore: string, datafromlms: string, maxtimeallowed: string, timelimitaction: string}[],
 *   resources: {identifier: string, type: string, scormtype: string, href: string, files: string[]}[],
 *     (hrefs resolved against xml:base)
 *   scos: {item: string, title: string, resource: string, href: string, launch: string,
 *     masteryscore: string, datafromlms: string, maxtimeallowed: string, timelimitaction: string}[]}}
 *   where a SCO's href is its resource's href resolved against the
 *   xml:base attributes, launch adds the item's parameters, and the rest
 *   comes from the item's ADL elements.
 */
export function parseManifest(text) {
  const doc = parseXML(text, "imsmanifest.xml");
  const root = doc.documentElement;
  if (root.localName !== "manifest" || root.namespaceURI !== NS.imscp) {
    throw new Error(`imsmanifest.xml: the root is {${root.namespaceURI}}${root.localName}, not a SCORM 1.2 <manifest>`);
  }
  const metadata = child(root, NS.imscp, "metadata");
  const orgsEl = child(root, NS.imscp, "organizations");
  const resourcesEl = child(root, NS.imscp, "resources");
  if (!orgsEl || !resourcesEl) throw new Error("imsmanifest.xml: no <organizations> or <resources>");

  const base = xmlBase(root) + xmlBase(resourcesEl);
  const resources = children(resourcesEl, NS.imscp, "resource").map((r) => {
    const href = r.getAttribute("href") || "";
    const rbase = base + xmlBase(r);
    return {
      identifier: r.getAttribute("identifier"),
      type: r.getAttribute("type"),
      scormtype: r.getAttributeNS(NS.adlcp, "scormtype"),
      href: href ? rbase + href : "",
      files: children(r, NS.imscp, "file").map((f) => rbase + f.getAttribute("href")),
    };
  });
  const byId = new Map(resources.map((r) => [r.identifier, r]));

  const defaultOrganization = orgsEl.getAttribute("default") || "";
  const orgs = children(orgsEl, NS.imscp, "organization");
  const org = orgs.find((o) => o.getAttribute("identifier") === defaultOrganization) ?? orgs[0];
  const items = [];
  const walk = (el) => {
    for (const item of children(el, NS.imscp, "item")) {
      items.push({
        identifier: item.getAttribute("identifier"),
        title: textOf(child(item, NS.imscp, "title")),
        identifierref: item.getAttribute("identifierref") || "",
        parameters: item.getAttribute("parameters") || "",
        masteryscore: textOf(child(item, NS.adlcp, "masteryscore")),
        datafromlms: textOf(child(item, NS.adlcp, "datafromlms")),
        maxtimeallowed: textOf(child(item, NS.adlcp, "maxtimeallowed")),
        timelimitaction: textOf(child(item, NS.adlcp, "timelimitaction")),
      });
      walk(item);
    }
  };
  if (org) walk(org);

  const scos = [];
  const seen = new Set();
  for (const item of items) {
    const r = byId.get(item.identifierref);
    if (!r || r.scormtype !== "sco") continue;
    seen.add(r.identifier);
    scos.push({
      item: item.identifier,
      title: item.title,
      resource: r.identifier,
      href: r.href,
      launch: launchURL(r.href, item.parameters),
      masteryscore: item.masteryscore,
      datafromlms: item.datafromlms,
      maxtimeallowed: item.maxtimeallowed,
      timelimitaction: item.timelimitaction,
    });
  }
  for (const r of resources) {
    if (r.scormtype === "sco" && !seen.has(r.identifier)) {
      scos.push({ item: "", title: r.identifier, resource: r.identifier, href: r.href, launch: r.href });
    }
  }
  return {
    identifier: root.getAttribute("identifier"),
    schemaversion: textOf(metadata && child(metadata, NS.imscp, "schemaversion")),
    defaultOrganization,
    title: textOf(org && child(org, NS.imscp, "title")),
    items,
    resources,
    scos,
  };
}
