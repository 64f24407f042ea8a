/** A small router over route templates such as `/api/v2/routing/wrapupcodes/{codeId}`. */

export type Params = Record<string, string>;

interface Route<H> {
  method: string;
  template: string;
  segments: string[];
  handler: H;
}

export type Match<H> =
  | { kind: "found"; template: string; params: Params; handler: H }
  | { kind: "method"; template: string; allowed: string[] }
  | { kind: "none" };

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, template: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), template, segments: split(template), handler });
    return this;
  }

  /** The route templates, for documentation and stats. */
  templates(): string[] {
    return [...new Set(this.routes.map((r) => `${r.method} ${r.template}`))];
  }

  match(method: string, path: string): Match<H> {
    const parts = split(path);
    let template: string | undefined;
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method.toUpperCase())
        return { kind: "found", template: route.template, params, handler: route.handler };
      template ??= route.template;
      if (route.template === template) allowed.push(route.method);
    }
    return template ? { kind: "method", template, allowed } : { kind: "none" };
  }
}

function matchSegments(segments: string[], parts: string[]): Params | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.startsWith("{") && seg.endsWith("}")) {
      let value: string;
      try {
        value = decodeURIComponent(parts[i]);
      } catch {
        return undefined;
      }
      params[seg.slice(1, -1)] = value;
    } else if (seg !== parts[i]) {
      return undefined;
    }
  }
  return params;
}
