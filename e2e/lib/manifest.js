// Reading imsmanifest.xml as an LMS does: which resources are SCOs and the
// URL that launches each, for SCORM 1.2 and SCORM 2004 4th Edition.

import { DOMParser } from "@xmldom/xmldom";

export const NS = {
  imscp: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
  adlcp: "http://www.adlnet.org/xsd/adlcp_rootv1p2",
  imsmd: "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
  xml: "http://www.w3.org/XML/1998/namespace",
};

/** The namespaces of a SCORM 2004 (3rd and 4th Edition) manifest. */
export const NS2004 = {
  imscp: "http://www.imsglobal.org/xsd/imscp_v1p1",
  adlcp: "http://www.adlnet.org/xsd/adlcp_v1p3",
  imsss: "http://www.imsglobal.org/xsd/imsss",
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
 * parseManifest reads a SCORM 1.2 manifest (or a SCORM 2004 one: see
 * parse2004).
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
  if (root.localName === "manifest" && root.namespaceURI === NS2004.imscp) return parse2004(root);
  if (root.localName !== "manifest" || root.namespaceURI !== NS.imscp) {
    throw new Error(`imsmanifest.xml: the root is {${root.namespaceURI}}${root.localName}, not a SCORM 1.2 or 2004 <manifest>`);
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

/**
 * parse2004 reads a SCORM 2004 manifest, as parseManifest does a SCORM 1.2
 * one, with version "2004" on the manifest and on each SCO. A SCO has,
 * besides item, title, resource, href and launch, what the LMS hands the
 * SCO from its item: completionThreshold (cmi.completion_threshold, from
 * adlcp:completionThreshold with completedByMeasure="true"),
 * scaledPassingScore (cmi.scaled_passing_score, from the primary
 * objective's minNormalizedMeasure with satisfiedByMeasure="true"),
 * dataFromLMS, timeLimitAction; and sequencing (tracked,
 * completionSetByContent, objectiveSetByContent of deliveryControls).
 */
function parse2004(root) {
  const ns = NS2004;
  const metadata = child(root, ns.imscp, "metadata");
  const orgsEl = child(root, ns.imscp, "organizations");
  const resourcesEl = child(root, ns.imscp, "resources");
  if (!orgsEl || !resourcesEl) throw new Error("imsmanifest.xml: no <organizations> or <resources>");

  const base = xmlBase(root) + xmlBase(resourcesEl);
  const resources = children(resourcesEl, ns.imscp, "resource").map((r) => {
    const href = r.getAttribute("href") || "";
    const rbase = base + xmlBase(r);
    return {
      identifier: r.getAttribute("identifier"),
      type: r.getAttribute("type"),
      scormtype: r.getAttributeNS(ns.adlcp, "scormType"),
      href: href ? rbase + href : "",
      files: children(r, ns.imscp, "file").map((f) => rbase + f.getAttribute("href")),
    };
  });
  const byId = new Map(resources.map((r) => [r.identifier, r]));

  const defaultOrganization = orgsEl.getAttribute("default") || "";
  const orgs = children(orgsEl, ns.imscp, "organization");
  const org = orgs.find((o) => o.getAttribute("identifier") === defaultOrganization) ?? orgs[0];
  const items = [];
  const walk = (el) => {
    for (const item of children(el, ns.imscp, "item")) {
      const ct = child(item, ns.adlcp, "completionThreshold");
      const seq = child(item, ns.imsss, "sequencing");
      const primary = seq && child(child(seq, ns.imsss, "objectives") ?? seq, ns.imsss, "primaryObjective");
      const dc = seq && child(seq, ns.imsss, "deliveryControls");
      items.push({
        identifier: item.getAttribute("identifier"),
        title: textOf(child(item, ns.imscp, "title")),
        identifierref: item.getAttribute("identifierref") || "",
        parameters: item.getAttribute("parameters") || "",
        completionThreshold:
          ct && ct.getAttribute("completedByMeasure") === "true" ? ct.getAttribute("minProgressMeasure") || "1.0" : "",
        scaledPassingScore:
          primary && primary.getAttribute("satisfiedByMeasure") === "true"
            ? textOf(child(primary, ns.imsss, "minNormalizedMeasure")) || "1.0"
            : "",
        dataFromLMS: textOf(child(item, ns.adlcp, "dataFromLMS")),
        timeLimitAction: textOf(child(item, ns.adlcp, "timeLimitAction")),
        sequencing: dc
          ? {
              tracked: dc.getAttribute("tracked") !== "false",
              completionSetByContent: dc.getAttribute("completionSetByContent") === "true",
              objectiveSetByContent: dc.getAttribute("objectiveSetByContent") === "true",
            }
          : null,
      });
      walk(item);
    }
  };
  if (org) walk(org);

  const scos = [];
  for (const item of items) {
    const r = byId.get(item.identifierref);
    if (!r || r.scormtype !== "sco") continue;
    scos.push({
      version: "2004",
      item: item.identifier,
      title: item.title,
      resource: r.identifier,
      href: r.href,
      launch: launchURL(r.href, item.parameters),
      completionThreshold: item.completionThreshold,
      scaledPassingScore: item.scaledPassingScore,
      dataFromLMS: item.dataFromLMS,
      timeLimitAction: item.timeLimitAction,
      sequencing: item.sequencing,
    });
  }
  return {
    version: "2004",
    identifier: root.getAttribute("identifier"),
    schema: textOf(metadata && child(metadata, ns.imscp, "schema")),
    schemaversion: textOf(metadata && child(metadata, ns.imscp, "schemaversion")),
    defaultOrganization,
    title: textOf(org && child(org, ns.imscp, "title")),
    items,
    resources,
    scos,
  };
}
