/** Resource types served by this package; each has one provider object (and so one serialized provider). */
export type ResourceKind = "wrapUpCode" | "syncWebhook";

/**
 * The text Pulumi keeps in every resource's state as `__provider` and that the dynamic-provider host evaluates
 * (`requireFromString(text).handler()`) to find the resource's provider.
 *
 * We write this text ourselves instead of letting `pulumi.dynamic.Resource` serialize a closure: the closure
 * serializer copies everything a provider captures (zod schemas, the client, local modules) by value into state,
 * which bloats it and breaks (pulumi/pulumi#5294, #13960), and even a thin closure costs ~3 KB per resource twice
 * over (inputs and outputs). This one line names only the package and the kind, so it is ~100 bytes, holds no
 * secret, and does not change when the package is upgraded: editing the provider is not a change to anyone's codes.
 */
export function serializedProvider(kind: ResourceKind): string {
  return `exports.handler = () => require("pulumi-genesys-wrapup/dist/providers").providers.${kind};\n`;
}

/** The URN type of a resource of ours; `pulumi-nodejs:dynamic` routes it to the dynamic-provider host. */
export function dynamicType(typeName: string): string {
  return `pulumi-nodejs:dynamic/genesys:${typeName}`;
}
