import { chainEnvelope, type ApiEnvelope } from "./envelope";
import type { Query, Requester } from "./requester";
import type { PagedEntities } from "./types";

/** Largest page the platform serves. */
export const MAX_PAGE_SIZE = 500;
/** A runaway guard: no list we manage comes near this many pages of 500. */
const MAX_PAGES = 10_000;

/** True when a page says another one follows: it has a `nextUri` and is not the last by `pageCount`. */
export function hasNextPage(page: PagedEntities<unknown>, pageNumber: number): boolean {
  if (!page.nextUri || !page.entities?.length) return false;
  return typeof page.pageCount !== "number" || pageNumber < page.pageCount;
}

/** Yields every page of a list endpoint (`pageSize` up to 500), following `pageNumber` from 1. */
export async function* paginate<T>(
  requester: Requester,
  path: string,
  query: Query = {},
  pageSize: number = MAX_PAGE_SIZE,
): AsyncGenerator<ApiEnvelope<PagedEntities<T>>> {
  const size = Math.min(Math.max(1, Math.floor(pageSize)), MAX_PAGE_SIZE);
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const page = await requester.request<PagedEntities<T>>("GET", path, {
      query: { ...query, pageSize: size, pageNumber },
    });
    yield page;
    if (!hasNextPage(page.body, pageNumber)) return;
  }
}

/** Every entity of a list endpoint, in one envelope whose attempts and latency cover all pages. */
export async function listAll<T>(
  requester: Requester,
  path: string,
  query: Query = {},
  pageSize: number = MAX_PAGE_SIZE,
): Promise<ApiEnvelope<T[]>> {
  const entities: T[] = [];
  let spent = { attempts: 0, latencyMs: 0 };
  let last: ApiEnvelope<unknown> | undefined;
  for await (const page of paginate<T>(requester, path, query, pageSize)) {
    if (last) spent = { attempts: spent.attempts + last.attempts, latencyMs: spent.latencyMs + last.latencyMs };
    entities.push(...(page.body.entities ?? []));
    last = page;
  }
  return chainEnvelope(last!, entities, spent);
}

/** The `total` of a list endpoint, in one request with `pageSize=1`. */
export async function countTotal(requester: Requester, path: string, query: Query = {}): Promise<ApiEnvelope<number>> {
  const page = await requester.request<PagedEntities<unknown>>("GET", path, {
    query: { ...query, pageSize: 1, pageNumber: 1 },
  });
  const total = typeof page.body.total === "number" ? page.body.total : (page.body.entities ?? []).length;
  return { ...page, body: total };
}
