/**
 * Content-Security-Policy. The designer is built by vite into files served from this
 * origin, so scripts come only from 'self' and no inline script or event-handler attribute
 * ever runs. Styles need 'unsafe-inline' (antd's CSS-in-JS writes <style> elements, bpmn-js
 * sets style attributes); images and fonts may be data: URLs (attachments, signatures, and
 * icons inlined by the build). 'unsafe-eval' is needed because ajv — the browser's form
 * validator, the same dialect as the server's — compiles each form schema with
 * `new Function`; it allows no markup-borne script.
 */
import helmet from 'helmet';

export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-eval'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // 'self' covers the same-origin socket.io WebSocket (ws:/wss:) in CSP Level 3.
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  // helmet adds upgrade-insecure-requests by default, which breaks plain-http installations.
  upgradeInsecureRequests: null,
};

/** helmet with the app's CSP; the other helmet headers keep their defaults. */
export function securityHeaders() {
  return helmet({ contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES } });
}

/**
 * A printed record is a static page: no script at all (a `javascript:` link or an
 * `onerror` that slipped through sanitising still cannot run), inline styles for the A4
 * layout, images only as data: URLs (signatures, pictures stored in the record).
 */
export const PRINT_PAGE_CSP =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
