// The renderer's Content-Security-Policy, sent as a header by both hosts (the Electron main
// process and the browser host). src/renderer/index.html repeats it in a meta tag (which
// cannot say frame-ancestors); a security test keeps the two equal.
export const CONTENT_SECURITY_POLICY_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
] as const;

export const CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY_DIRECTIVES.join('; ');
