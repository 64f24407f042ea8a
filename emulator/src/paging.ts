/** Paging: `pageSize` (1..500, default 25), `pageNumber` (from 1) and the listing envelope. */
import { ErrorDetail, FieldError, invalidFields } from "./errors";

export interface Paging {
  pageSize: number;
  pageNumber: number;
}

export interface PagedResponse<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  previousUri?: string;
  nextUri?: string;
  lastUri: string;
  selfUri: string;
}

export const PAGE_SIZE = { min: 1, max: 500, default: 25 } as const;

function parseIntParam(raw: string | null, field: string, min: number, max: number, def: number, d: ErrorDetail[]) {
  if (raw === null) return def;
  if (!/^\d{1,9}$/.test(raw)) {
    d.push({ errorCode: FieldError.format, fieldName: field });
    return def;
  }
  const n = Number(raw);
  if (n < min || n > max) d.push({ errorCode: FieldError.value, fieldName: field });
  return n;
}

/** Reads `pageSize` and `pageNumber`; throws 400 bad.request on bad values. */
export function parsePaging(query: URLSearchParams): Paging {
  const d: ErrorDetail[] = [];
  const pageSize = parseIntParam(query.get("pageSize"), "pageSize", PAGE_SIZE.min, PAGE_SIZE.max, PAGE_SIZE.default, d);
  const pageNumber = parseIntParam(query.get("pageNumber"), "pageNumber", 1, 1_000_000_000, 1, d);
  if (d.length > 0) throw invalidFields(d);
  return { pageSize, pageNumber };
}

/**
 * Builds a page. The URIs are relative (path + query, as the platform returns them) and keep the
 * list's filter parameters. `nextUri` is absent on the last page (and beyond it); `previousUri`
 * is absent on the first. With no items, `pageCount` is 0 and `lastUri` points at page 1.
 */
export function page<T, V>(
  items: readonly T[],
  paging: Paging,
  basePath: string,
  filters: Record<string, string | readonly string[] | undefined>,
  view: (item: T) => V,
): PagedResponse<V> {
  const { pageSize, pageNumber } = paging;
  const total = items.length;
  const pageCount = Math.ceil(total / pageSize);
  const start = (pageNumber - 1) * pageSize;
  const entities = items.slice(start, start + pageSize).map(view);
  const uri = (n: number) => {
    const q = new URLSearchParams();
    q.set("pageSize", String(pageSize));
    q.set("pageNumber", String(n));
    for (const [k, v] of Object.entries(filters)) {
      if (typeof v === "string") q.set(k, v);
      else if (v) for (const one of v) q.append(k, one);
    }
    return `${basePath}?${q.toString()}`;
  };
  const res: PagedResponse<V> = {
    entities,
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(Math.max(1, pageCount)),
    selfUri: uri(pageNumber),
  };
  if (pageNumber > 1) res.previousUri = uri(Math.min(pageNumber - 1, Math.max(1, pageCount)));
  if (pageNumber < pageCount) res.nextUri = uri(pageNumber + 1);
  return res;
}
