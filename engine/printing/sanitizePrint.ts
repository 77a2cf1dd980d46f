/**
 * The rendered body of a print page goes through an allowlist sanitiser (sanitize-html)
 * before it is served. Escaping `{{value}}` stops record data from adding markup, but not a
 * `javascript:` URL typed into a field that a template puts in `href`, nor markup the
 * template itself carries (`<img onerror>`, `<script>`). Only document markup survives:
 * no script, no event attributes, links with http(s)/mailto/tel or relative URLs, images
 * only as data: or relative URLs. The print page's CSP (`script-src 'none'`) is the second wall.
 */
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'div', 'section', 'header', 'footer', 'col', 'colgroup'],
  allowedAttributes: {
    '*': ['class', 'style', 'title', 'lang', 'dir'],
    a: ['href', 'name'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'scope'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  // A removed element's text stays (a <font> becomes its words); script and style contents go.
  disallowedTagsMode: 'discard',
};

export function sanitizePrintBody(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
