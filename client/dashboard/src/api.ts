// The silo's public API over gRPC-Web, on the same origin that served the page (the silo's HTTP
// endpoint), with the signed-in caller's credentials on every call.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { AccountService } from "./gen/actorcrm/v1/accounts_pb";
import { ContactService } from "./gen/actorcrm/v1/contacts_pb";
import { OpportunityService } from "./gen/actorcrm/v1/opportunities_pb";
import { RankingService } from "./gen/actorcrm/v1/ranking_pb";
import { credentialHeaders, type Credentials } from "./session";
import { t } from "./i18n";

export type Api = {
  accounts: Client<typeof AccountService>;
  contacts: Client<typeof ContactService>;
  opportunities: Client<typeof OpportunityService>;
  ranking: Client<typeof RankingService>;
};

export function createApi(credentials: Credentials): Api {
  const withCredentials: Interceptor = (next) => (request) => {
    for (const [name, value] of Object.entries(credentialHeaders(credentials))) request.header.set(name, value);
    return next(request);
  };
  const transport = createGrpcWebTransport({
    baseUrl: location.origin,
    useBinaryFormat: true,
    interceptors: [withCredentials],
  });
  return {
    accounts: createClient(AccountService, transport),
    contacts: createClient(ContactService, transport),
    opportunities: createClient(OpportunityService, transport),
    ranking: createClient(RankingService, transport),
  };
}

/** A failed call as a person reads it: what went wrong in their language, then the server's words. */
export function describeError(error: unknown): string {
  const connectError = ConnectError.from(error);
  const meaning =
    connectError.code === Code.Unauthenticated ? t("error.unauthenticated")
    : connectError.code === Code.PermissionDenied ? t("error.permissionDenied")
    : connectError.code === Code.Unavailable ? t("error.unavailable")
    : connectError.code === Code.ResourceExhausted ? t("error.rateLimited")
    : t("error.other");
  return connectError.rawMessage ? `${meaning} (${connectError.rawMessage})` : meaning;
}

export function isSignInProblem(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Unauthenticated;
}

export function isAborted(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Canceled;
}
