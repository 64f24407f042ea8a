import got from "got";
export const probe = (): string => typeof got.extend;
