import type http from "node:http";

// Next.js decodes a route's dynamic segments with decodeURIComponent and answers a plain-text 500
// when that throws (a segment such as "%ud800" or "%E0%A4%A"): a client-made error reported as
// ours. Such an address cannot name anything, so it is answered here, before Next.js sees it.

/** True when the request's path is not valid percent-encoding. */
export function hasMalformedPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Answers 400 in the error shape of every route. */
export function refuseMalformedPath(res: http.ServerResponse): void {
  const body = JSON.stringify({
    error: { code: "invalid_input", message: "This address is not valid: it contains a broken percent-encoding." },
  });
  res.writeHead(400, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}
