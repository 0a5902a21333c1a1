import helmet from 'helmet';

/**
 * Security headers for the pages and the explorer. The CSP allows this origin only: scripts are
 * the built bundles (no inline script, no eval), styles the built stylesheets (no inline style),
 * the WebSocket and fetches go to this server, and no page may be framed.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // No referrer to other sites; this site's own form posts keep their Origin (no-referrer would make it "null").
    referrerPolicy: { policy: 'same-origin' },
  });
}
