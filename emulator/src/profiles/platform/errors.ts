/** The platform's error answers (ErrorBody codes of the Platform API). */
import { ApiError, ErrorDetail, LimitInfo } from "../../errors";

export const PlatformCode = {
  required: "required.field.missing",
  invalid: "invalid.value",
  duplicateName: "duplicate.name",
  conflict: "general.conflict",
  badRequest: "bad.request",
  limit: "limit.exceeded",
} as const;

export function missingPermission(permission: string): ApiError {
  return new ApiError(
    403,
    "missing.permissions",
    `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`,
    {
      messageWithParams: "You are missing the following permission(s): {permissions}",
      messageParams: { permissions: permission },
    },
  );
}

/** 400 for an invalid body: `required.field.missing` when a required field is absent, else `invalid.value`. */
export function invalidBody(details: ErrorDetail[]): ApiError {
  const missing = details.find((d) => d.errorCode === PlatformCode.required);
  const notObject = details.some((d) => d.fieldName === "(body)");
  const code = notObject ? PlatformCode.badRequest : missing ? PlatformCode.required : PlatformCode.invalid;
  const what = details.map((d) => `${d.fieldName} (${d.errorCode})`).join(", ");
  return new ApiError(400, code, `The request is invalid: ${what}`, { details });
}

/** A taken wrap-up code name: 400 `duplicate.name` or, with `duplicateNameStatus: 409`, 409 `general.conflict`. */
export function duplicateName(status: 400 | 409, name: string): ApiError {
  return new ApiError(
    status,
    status === 409 ? PlatformCode.conflict : PlatformCode.duplicateName,
    "A wrapup code with this name already exists.",
    { messageWithParams: "A wrapup code with the name {name} already exists.", messageParams: { name } },
  );
}

export function notFound(kind: string, id: string): ApiError {
  return new ApiError(404, "not.found", `${kind} ${id} not found`, { entityId: id });
}

export function limitExceeded(message: string, limit: LimitInfo): ApiError {
  return new ApiError(400, PlatformCode.limit, message, { limit });
}

export function unsupportedMediaType(contentType: string | undefined): ApiError {
  return new ApiError(
    415,
    "unsupported.media.type",
    `Content-Type ${contentType ?? "(none)"} is not supported; send application/json`,
  );
}

export function payloadTooLarge(limit: number): ApiError {
  return new ApiError(413, "request.entity.too.large", `The request body exceeds ${limit} bytes.`);
}
