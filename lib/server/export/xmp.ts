import 'server-only';

/**
 * The XMP packet that carries Proofsheet provenance in every format (PNG `XML:com.adobe.xmp`
 * iTXt, JPEG APP1, WebP `XMP ` chunk), so a photo tool that knows XMP shows where an image
 * came from. The payload is our compact JSON in one attribute of our own namespace, beside
 * `xmp:CreatorTool`. XMP itself: Adobe XMP Specification Part 1 (ISO 16684-1), §7 (packet
 * wrapper, `rdf:Description` with simple properties as attributes).
 */
const NS = 'https://proofsheet.dev/ns/provenance/1.0/';
const ATTRIBUTE_RE = /proofsheet:provenance="([^"]*)"/;

export function xmpPacket(json: string): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:proofsheet="${NS}"`,
    ` xmp:CreatorTool="Proofsheet" proofsheet:provenance="${escapeXml(json)}"/>`,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}

/** Our JSON from an XMP packet, or null when the packet is not ours. */
export function jsonFromXmp(xmp: string): string | null {
  if (!xmp.includes(NS)) return null;
  const match = ATTRIBUTE_RE.exec(xmp);
  return match ? unescapeXml(match[1]!) : null;
}

// JSON.stringify leaves no raw newline or tab in its output, so attribute-value normalisation
// (which turns them into spaces) cannot change the payload.
function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
