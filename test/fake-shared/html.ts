const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}a.acct{display:block;padding:.6rem 1rem;margin:.4rem 0;border:1px solid #ccc;border-radius:6px;text-decoration:none;color:#222}a.acct:hover{background:#f3f6fb}small{color:#666}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}.cancelled{color:#999;text-decoration:line-through}</style>
</head><body>${body}</body></html>`;
}
