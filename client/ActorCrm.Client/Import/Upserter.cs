using ActorCrm.Api.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorCrm.Client.Import;

public enum Outcome { Created, Updated, Unchanged, Rejected, Deferred, Expired }

/// <summary>What happened to one row; <see cref="Reason"/> for Rejected and Deferred.</summary>
public readonly record struct RowResult(Outcome Outcome, string? Reason = null);

/// <summary>
/// Idempotent writes of one resource: Create; on ALREADY_EXISTS Get and compare; Update with the
/// current etag and a field mask of exactly the differing fields, or report it unchanged. A create
/// refused because something it refers to is missing (FAILED_PRECONDITION / NOT_FOUND: a parent,
/// account or contact that may come later in the file) is Deferred for the next pass. UNAVAILABLE
/// is retried a few times; a stale etag (a concurrent writer) re-reads and retries.
/// </summary>
public sealed class Upserter(CallInvoker calls)
{
    private readonly AccountService.AccountServiceClient _accounts = new(calls);
    private readonly ContactService.ContactServiceClient _contacts = new(calls);
    private readonly OpportunityService.OpportunityServiceClient _opportunities = new(calls);

    public Task<RowResult> UpsertAsync(IMessage message, CancellationToken cancel) => UpsertAsync(message, knownToExist: false, cancel);

    /// <summary>
    /// For a row whose create already answered ALREADY_EXISTS (e.g. in a BatchCreateAccounts):
    /// compare with the stored one and update the differing fields, without trying the create again.
    /// </summary>
    public Task<RowResult> UpdateExistingAsync(IMessage message, CancellationToken cancel) => UpsertAsync(message, knownToExist: true, cancel);

    private Task<RowResult> UpsertAsync(IMessage message, bool knownToExist, CancellationToken cancel) => message switch
    {
        Account a => UpsertAsync(a,
            m => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = m }, cancellationToken: cancel).ResponseAsync,
            () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = a.AccountId }, cancellationToken: cancel).ResponseAsync,
            (m, mask) => _accounts.UpdateAccountAsync(new UpdateAccountRequest { Account = m, UpdateMask = mask }, cancellationToken: cancel).ResponseAsync,
            (m, etag) => m.Etag = etag, m => m.Etag, Keys("account_id"), knownToExist, cancel),
        Contact c => UpsertAsync(c,
            m => _contacts.CreateContactAsync(new CreateContactRequest { Contact = m }, cancellationToken: cancel).ResponseAsync,
            () => _contacts.GetContactAsync(new GetContactRequest { ContactId = c.ContactId }, cancellationToken: cancel).ResponseAsync,
            (m, mask) => _contacts.UpdateContactAsync(new UpdateContactRequest { Contact = m, UpdateMask = mask }, cancellationToken: cancel).ResponseAsync,
            (m, etag) => m.Etag = etag, m => m.Etag, Keys("contact_id", "account_id"), knownToExist, cancel),
        Opportunity o => UpsertAsync(o,
            m => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = m }, cancellationToken: cancel).ResponseAsync,
            () => _opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = o.AccountId, OpportunityId = o.OpportunityId }, cancellationToken: cancel).ResponseAsync,
            (m, mask) => _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest { Opportunity = m, UpdateMask = mask }, cancellationToken: cancel).ResponseAsync,
            (m, etag) => m.Etag = etag, m => m.Etag, Keys("account_id", "opportunity_id"), knownToExist, cancel),
        Activity a => LogActivityAsync(a, cancel),
        _ => throw new ArgumentException($"cannot upsert {message.Descriptor.Name}", nameof(message)),
    };

    private static HashSet<string> Keys(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>Activities are append-only (there is no UpdateActivity): an activity_id the account already has is left as it is.</summary>
    private async Task<RowResult> LogActivityAsync(Activity activity, CancellationToken cancel)
    {
        try
        {
            await Retry(() => _opportunities.LogActivityAsync(new LogActivityRequest { Activity = activity }, cancellationToken: cancel).ResponseAsync, cancel);
            return new RowResult(Outcome.Created);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            return new RowResult(Outcome.Unchanged);
        }
        catch (RpcException e)
        {
            return Refused(e);
        }
    }

    private static async Task<RowResult> UpsertAsync<T>(
        T desired, Func<T, Task<T>> create, Func<Task<T>> get, Func<T, FieldMask, Task<T>> update,
        Action<T, string> setEtag, Func<T, string> etagOf, IReadOnlySet<string> keys, bool knownToExist, CancellationToken cancel) where T : class, IMessage<T>
    {
        try
        {
            if (!knownToExist)
            {
                try
                {
                    await Retry(() => create(desired), cancel);
                    return new RowResult(Outcome.Created);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists) { }
            }

            for (var attempt = 0; ; attempt++)
            {
                var current = await Retry(get, cancel);
                var mask = Diff(desired, current, keys, out var keyChange);
                if (keyChange is not null)
                    return new RowResult(Outcome.Rejected, $"{keyChange} differs from the stored one and cannot be changed (delete and re-create to move it)");
                if (mask.Paths.Count == 0) return new RowResult(Outcome.Unchanged);
                var patch = desired.Clone();
                setEtag(patch, etagOf(current));
                try
                {
                    await Retry(() => update(patch, mask), cancel);
                    return new RowResult(Outcome.Updated);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && attempt < 3) { } // changed meanwhile: re-read
            }
        }
        catch (RpcException e)
        {
            return Refused(e);
        }
    }

    private static RowResult Refused(RpcException e) => Refused(e.StatusCode, Describe(e));

    /// <summary>A refusal of a create or update: Deferred when something it refers to may come later, else Rejected.</summary>
    public static RowResult Refused(StatusCode code, string reason) =>
        code is StatusCode.FailedPrecondition or StatusCode.NotFound
            ? new RowResult(Outcome.Deferred, reason)
            : new RowResult(Outcome.Rejected, reason);

    /// <summary>"INVALID_ARGUMENT: account.display_name: must not be empty" — the status and every named field.</summary>
    public static string Describe(RpcException e) => Describe(e.StatusCode, e.Status.Detail, e.GetRpcStatus()?.GetDetail<BadRequest>());

    /// <summary>The same for the status of one item of a batch call.</summary>
    public static string Describe(Google.Rpc.Status status) =>
        Describe((StatusCode)status.Code, status.Message, status.GetDetail<BadRequest>());

    private static string Describe(StatusCode code, string detail, BadRequest? badRequest)
    {
        var text = $"{code}: {detail}";
        if (badRequest is { FieldViolations.Count: > 0 })
        {
            var fields = string.Join("; ", badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
            if (!detail.Contains(fields, StringComparison.Ordinal)) text += $" ({fields})";
        }
        return text;
    }

    /// <summary>The top-level fields whose values differ (output-only and key fields aside); an unset message equals an empty one.</summary>
    public static FieldMask Diff(IMessage desired, IMessage current, IReadOnlySet<string> keys, out string? keyChange)
    {
        keyChange = null;
        var mask = new FieldMask();
        current = Kinds.WithoutOutputOnly(current); // nested output-only fields (a section's last_verified_time) must not count as a change
        foreach (var field in desired.Descriptor.Fields.InDeclarationOrder())
        {
            if (Kinds.OutputOnly.Contains(field.Name)) continue;
            var a = field.Accessor.GetValue(desired);
            var b = field.Accessor.GetValue(current);
            if (Equal(a, b)) continue;
            if (keys.Contains(field.Name)) { keyChange = field.Name; continue; }
            mask.Paths.Add(field.Name);
        }
        return mask;
    }

    private static bool Equal(object? a, object? b)
    {
        if (Equals(a, b)) return true;
        static bool Empty(object? x) => x is null || (x is IMessage m && m.CalculateSize() == 0);
        return Empty(a) && Empty(b);
    }

    /// <summary>Calls tried at most this often while the silo answers UNAVAILABLE.</summary>
    private const int MaxAttempts = 5;

    /// <summary>Retries UNAVAILABLE (the storage did not confirm: nothing to assume) with an exponential back-off.</summary>
    public static async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && attempt < MaxAttempts && !cancel.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), cancel); // 0.5, 1, 2, 4 s
            }
        }
    }
}
