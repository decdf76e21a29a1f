using MicipPlanner.Domain.Review;
using MicipPlanner.Domain.Toolkits;

namespace MicipPlanner.Domain.Balance;

public enum TemplateAction { Submit, Return, Accept }

/// <summary>Which function of which row a template item covers.</summary>
public readonly record struct ItemSlot(int RowNumber, BalanceFunction Function);

/// <summary>What the person entered for one item, as the completeness check sees it.</summary>
public sealed record ItemEntry(ItemSlot Slot, FunctionStatus? Status, string NextAction, string Owner);

/// <summary>
/// The Maintaining Balance template: its items and what completes it. Its states follow the review workflow every
/// building record shares (<see cref="ReviewWorkflow"/>).
/// </summary>
public static class TemplateWorkflow
{
    /// <summary>
    /// A building template has one item per row: the building function, or the collaborative function where
    /// the row has no building function (evaluation is done together).
    /// </summary>
    public static IReadOnlyList<ItemSlot> BuildingSlots(BalanceDefinition balance) =>
        balance.Rows.Select(r => new ItemSlot(r.Number, r.BuildingFunction.Length > 0 ? BalanceFunction.Building : BalanceFunction.Collaborative)).ToList();

    /// <summary>The district template covers every district function and every collaborative function.</summary>
    public static IReadOnlyList<ItemSlot> DistrictSlots(BalanceDefinition balance) =>
        balance.Rows.SelectMany(r => new[]
        {
            r.DistrictFunction.Length > 0 ? new ItemSlot(r.Number, BalanceFunction.District) : (ItemSlot?)null,
            r.CollaborativeFunction.Length > 0 ? new ItemSlot(r.Number, BalanceFunction.Collaborative) : null,
        }).Where(s => s is not null).Select(s => s!.Value).ToList();

    public static bool IsEditable(TemplateState state) => ReviewWorkflow.IsEditable(state);

    /// <summary>An item is complete when it has a status, and — unless it is in place — a next action and an owner.</summary>
    public static bool IsComplete(ItemEntry entry) =>
        entry.Status is not null
        && (entry.Status == FunctionStatus.InPlace || (!string.IsNullOrWhiteSpace(entry.NextAction) && !string.IsNullOrWhiteSpace(entry.Owner)));

    /// <summary>What must still be filled before the template can be submitted, one sentence per gap.</summary>
    public static IReadOnlyList<string> MissingForSubmission(BalanceDefinition balance, IReadOnlyList<ItemSlot> slots, IEnumerable<ItemEntry> entries)
    {
        var bySlot = entries.ToDictionary(e => e.Slot);
        var missing = new List<string>();
        foreach (var slot in slots)
        {
            var row = balance.Rows.First(r => r.Number == slot.RowNumber);
            var name = $"Row {row.Number} ({row.Label})" + (slot.Function == BalanceFunction.Collaborative && slots.Count(s => s.RowNumber == slot.RowNumber) > 1 ? ", collaborative function" : "");
            if (!bySlot.TryGetValue(slot, out var entry) || entry.Status is null)
            {
                missing.Add($"{name}: choose a status.");
                continue;
            }
            if (entry.Status == FunctionStatus.InPlace) continue;
            if (string.IsNullOrWhiteSpace(entry.NextAction)) missing.Add($"{name}: name the next action (it is marked “{entry.Status.Value.DisplayName()}”).");
            if (string.IsNullOrWhiteSpace(entry.Owner)) missing.Add($"{name}: say who owns the next action.");
        }
        return missing;
    }

    /// <summary>Why a return without a comment is refused; the review form shows it next to its comment field.</summary>
    public static string ReturnNeedsComment => ReviewedRecord.Template.ReturnNeedsComment;

    /// <summary>The state after <paramref name="action"/>, or the reason it is refused (the shared <see cref="ReviewWorkflow"/>).</summary>
    public static TransitionResult Apply(TemplateState from, TemplateAction action, string? comment = null) =>
        ReviewWorkflow.Apply(ReviewedRecord.Template, from, action, comment);
}

public sealed record TransitionResult(bool Allowed, TemplateState? NewState, string? Reason)
{
    public static TransitionResult To(TemplateState state) => new(true, state, null);
    public static TransitionResult Refused(string reason) => new(false, null, reason);
}

/// <summary>Counts of one function row across the buildings' templates.</summary>
public sealed record RollupRow(int RowNumber, int InPlace, int NeedsStrengthening, int NeedsToBeCreated, int NoStatus)
{
    public int Total => InPlace + NeedsStrengthening + NeedsToBeCreated + NoStatus;
}

public static class BalanceRollup
{
    /// <summary>Per row, how many of the counted templates put the building's function in each status.</summary>
    public static IReadOnlyList<RollupRow> Count(IEnumerable<int> rowNumbers, IEnumerable<(int RowNumber, FunctionStatus? Status)> items, int templates)
    {
        var list = items.ToList();
        return rowNumbers.Select(n =>
        {
            var row = list.Where(i => i.RowNumber == n).ToList();
            int Of(FunctionStatus s) => row.Count(i => i.Status == s);
            var inPlace = Of(FunctionStatus.InPlace);
            var strengthen = Of(FunctionStatus.NeedsStrengthening);
            var create = Of(FunctionStatus.NeedsToBeCreated);
            return new RollupRow(n, inPlace, strengthen, create, Math.Max(0, templates - inPlace - strengthen - create));
        }).ToList();
    }
}
