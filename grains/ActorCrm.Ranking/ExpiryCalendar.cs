namespace ActorCrm.Ranking;

/// <summary>
/// An account's window state for the ranking: its total and how many of its events are in the
/// window. <see cref="InWindow"/> false means "no event in the window": remove it from the index
/// (an account whose events net to ≤ 0 stays, as non-positive). See <see cref="ConcentrationIndex.Apply"/>.
/// </summary>
public readonly record struct TotalUpdate(string AccountId, long TotalMinor, int EventCount)
{
    public bool InWindow => EventCount > 0;
}

/// <summary>
/// The ranking's side of the rolling window: for many accounts, their current total and event count
/// and their pending changes (day → delta, from <see cref="RevenueWindow.ChangesAfter"/>). Advancing
/// to a new local day yields the accounts whose state changed at the midnights passed, so the
/// ranking ages revenue out without asking any account.
/// </summary>
/// <remarks>
/// Pending changes are grouped per day in a sorted map (about WindowDays distinct days), each day
/// holding account → delta. <see cref="SetSchedule"/> costs O(s·log d) for s changes over d days;
/// <see cref="AdvanceTo"/> O(c·log c) for c changes applied. An account that has left the window
/// and has nothing pending is forgotten. Deterministic: updates come in ordinal account-id order.
/// </remarks>
public sealed class ExpiryCalendar
{
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, Dictionary<string, (long Sum, int Events)>> _byDay = [];

    public ExpiryCalendar(DateOnly today)
    {
        Today = today;
    }

    /// <summary>The local day the held states are for.</summary>
    public DateOnly Today { get; private set; }

    /// <summary>Accounts held: in the window today, or with changes pending.</summary>
    public int AccountCount => _accounts.Count;

    /// <summary>The next local day on which some account changes (a timer target), or null.</summary>
    public DateOnly? NextChangeDay => _byDay.Count == 0 ? null : _byDay.Keys.First();

    /// <summary>
    /// Replaces an account's entry: its state on <see cref="Today"/> and its changes after today
    /// (every <see cref="WindowChange.Day"/> must be later than <see cref="Today"/>; same-day changes add up).
    /// </summary>
    public void SetSchedule(string accountId, long totalToday, int eventCountToday, IEnumerable<WindowChange> changesAfterToday)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(changesAfterToday);
        ArgumentOutOfRangeException.ThrowIfNegative(eventCountToday);
        List<WindowChange> changes = changesAfterToday.ToList();
        foreach (WindowChange change in changes)
        {
            if (change.Day <= Today)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(changesAfterToday), change.Day, $"Changes must be after today ({Today}).");
            }
        }

        Remove(accountId);
        var account = new Account { Total = totalToday, Events = eventCountToday };
        foreach ((DateOnly day, long sum, int events) in changes)
        {
            if (sum == 0 && events == 0)
            {
                continue;
            }

            if (!_byDay.TryGetValue(day, out Dictionary<string, (long Sum, int Events)>? deltas))
            {
                _byDay.Add(day, deltas = new Dictionary<string, (long, int)>(StringComparer.Ordinal));
            }

            if (deltas.TryGetValue(accountId, out (long Sum, int Events) existing))
            {
                deltas[accountId] = (checked(existing.Sum + sum), checked(existing.Events + events));
            }
            else
            {
                deltas.Add(accountId, (sum, events));
                account.Days.Add(day);
            }
        }

        if (account.Events > 0 || account.Days.Count > 0)
        {
            _accounts.Add(accountId, account);
        }
    }

    /// <summary>Shorthand for <see cref="SetSchedule"/> from an account's window as of <see cref="Today"/>.
    /// Returns the account's state today, ready for <see cref="ConcentrationIndex.Apply"/>.</summary>
    public TotalUpdate Track(string accountId, RevenueWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var state = new TotalUpdate(accountId, window.TotalAt(Today), window.EventCountAt(Today));
        SetSchedule(accountId, state.TotalMinor, state.EventCount, window.ChangesAfter(Today));
        return state;
    }

    /// <summary>Forgets an account and its pending changes.</summary>
    public bool Remove(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (!_accounts.Remove(accountId, out Account? account))
        {
            return false;
        }

        foreach (DateOnly day in account.Days)
        {
            if (_byDay.TryGetValue(day, out var deltas) && deltas.Remove(accountId) && deltas.Count == 0)
            {
                _byDay.Remove(day);
            }
        }

        return true;
    }

    /// <summary>The account's state on <see cref="Today"/>; false if it is not held (not in the window, nothing pending).</summary>
    public bool TryGetState(string accountId, out TotalUpdate state)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (_accounts.TryGetValue(accountId, out Account? account))
        {
            state = new TotalUpdate(accountId, account.Total, account.Events);
            return true;
        }

        state = new TotalUpdate(accountId, 0, 0);
        return false;
    }

    /// <summary>
    /// Moves to local day <paramref name="today"/> (same day or later), applying every pending change
    /// dated on or before it. Returns, in ordinal account-id order, the accounts whose total changed
    /// or that entered or left the window. If a total would leave the range of a long on any day
    /// passed, throws <see cref="OverflowException"/> and changes nothing.
    /// </summary>
    public IReadOnlyList<TotalUpdate> AdvanceTo(DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(today, Today);

        // Dry run in Int128, checking every day passed, so that a failure leaves the calendar intact.
        List<DateOnly> due = _byDay.Keys.TakeWhile(day => day <= today).ToList();
        var running = new Dictionary<string, (Int128 Sum, long Events)>(StringComparer.Ordinal);
        foreach (DateOnly day in due)
        {
            foreach ((string id, (long sum, int events)) in _byDay[day])
            {
                (Int128 total, long count) = running.TryGetValue(id, out var r) ? r : (_accounts[id].Total, _accounts[id].Events);
                total += sum;
                count += events;
                if (total > long.MaxValue || total < long.MinValue || count > int.MaxValue || count < 0)
                {
                    throw new OverflowException($"Window of account '{id}' leaves the range of its counters on {day}.");
                }

                running[id] = (total, count);
            }
        }

        foreach (DateOnly day in due)
        {
            _byDay.Remove(day);
        }

        var updates = new List<TotalUpdate>();
        foreach ((string id, (Int128 total, long count)) in running)
        {
            Account account = _accounts[id];
            bool wasInWindow = account.Events > 0;
            bool changed = account.Total != (long)total || wasInWindow != count > 0;
            account.Total = (long)total;
            account.Events = (int)count;
            account.Days.RemoveAll(day => day <= today);
            if (changed)
            {
                updates.Add(new TotalUpdate(id, account.Total, account.Events));
            }

            if (account.Events == 0 && account.Days.Count == 0)
            {
                _accounts.Remove(id); // out of the window for good
            }
        }

        Today = today;
        updates.Sort((x, y) => string.CompareOrdinal(x.AccountId, y.AccountId));
        return updates;
    }

    private sealed class Account
    {
        public long Total;
        public int Events;

        public List<DateOnly> Days { get; } = []; // days on which this account has a pending change
    }
}
