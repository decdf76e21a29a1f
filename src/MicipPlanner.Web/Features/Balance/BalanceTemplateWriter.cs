using MicipPlanner.Domain.Balance;
using MicipPlanner.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Balance;

/// <summary>What became of a save of a Maintaining Balance template's items and answers.</summary>
public abstract record TemplateSaveResult
{
    /// <param name="Completed">How many of the template's functions are complete now.</param>
    public sealed record Saved(Guid Version, DateTimeOffset At, int Completed) : TemplateSaveResult;

    /// <summary>Someone else saved the template since the form was shown; <paramref name="Theirs"/> is its version now.</summary>
    public sealed record Conflict(Guid? Theirs) : TemplateSaveResult;

    /// <summary>The template is not editable in its state (submitted, accepted).</summary>
    public sealed record Refused(string Message) : TemplateSaveResult;
}

/// <summary>A building's template of a cycle, or the district's (no building).</summary>
public sealed record TemplatePlace(int DistrictId, int CycleId, int? BuildingId);

/// <summary>
/// The one write path of a template's items and answers (its autosave and its Save button), under the version chain. The
/// review steps are <see cref="TemplateWorkflow"/>'s; the permission is the caller's check.
/// </summary>
public sealed class BalanceTemplateWriter(AppDbContext db, TimeProvider clock)
{
    public const string StaleMessage = "Someone else saved this template while you were editing. Your entries are still in the form; review the current version shown in the timeline and save again to keep yours.";

    public const string ReadOnlyMessage = "This template has been submitted, so it is read-only. The district team can return it for changes.";

    public async Task<TemplateSaveResult> SaveAsync(TemplatePlace place, IReadOnlyCollection<ItemSlot> slots, TemplateForm form)
    {
        // The last entry of a slot counts; entries for slots the template does not have are ignored.
        var posted = form.Items.Where(i => slots.Contains(new ItemSlot(i.RowNumber, i.Function))).GroupBy(i => new ItemSlot(i.RowNumber, i.Function))
            .ToDictionary(g => g.Key, g => g.Last());
        var stored = await db.BalanceTemplates.Include(t => t.Items)
            .Where(t => t.CycleId == place.CycleId && t.BuildingId == place.BuildingId).OrderBy(t => t.Id).FirstOrDefaultAsync();
        if (stored is not null && !TemplateWorkflow.IsEditable(stored.State)) return new TemplateSaveResult.Refused(ReadOnlyMessage);
        var now = clock.GetUtcNow();
        var saved = stored;
        var kept = await db.SaveVersionedAsync(stored, form.Version,
            () => new BalanceTemplate { DistrictId = place.DistrictId, CycleId = place.CycleId, BuildingId = place.BuildingId, CreatedAt = now },
            template =>
            {
                Apply(template, place, slots, posted, form);
                template.UpdatedAt = now;
                saved = template;
            },
            () => StoredOfPlace(place).AnyAsync());
        if (!kept) return new TemplateSaveResult.Conflict(await StoredOfPlace(place).Select(t => (Guid?)t.Version).FirstOrDefaultAsync());
        var completed = saved!.Items.Count(i => TemplateWorkflow.IsComplete(new ItemEntry(new ItemSlot(i.RowNumber, i.Function), i.Status, i.NextAction, i.Owner)));
        return new TemplateSaveResult.Saved(saved.Version, now, completed);
    }

    private static void Apply(BalanceTemplate template, TemplatePlace place, IReadOnlyCollection<ItemSlot> slots,
        Dictionary<ItemSlot, TemplateItemForm> posted, TemplateForm form)
    {
        foreach (var slot in slots)
        {
            if (!posted.TryGetValue(slot, out var input)) continue;
            var item = template.Items.FirstOrDefault(i => i.RowNumber == slot.RowNumber && i.Function == slot.Function);
            if (item is null)
            {
                item = new BalanceTemplateItem { DistrictId = place.DistrictId, RowNumber = slot.RowNumber, Function = slot.Function };
                template.Items.Add(item);
            }
            item.Status = input.Status;
            item.Evidence = FormText.Clean(input.Evidence);
            item.NextAction = FormText.Clean(input.NextAction);
            item.Owner = FormText.Clean(input.Owner);
            item.TargetDate = input.TargetDate;
        }
        template.BuildingsAnswer = FormText.Clean(form.BuildingsAnswer);
        template.DistrictsAnswer = FormText.Clean(form.DistrictsAnswer);
        template.CommonAnswer = FormText.Clean(form.CommonAnswer);
    }

    private IQueryable<BalanceTemplate> StoredOfPlace(TemplatePlace place) =>
        db.BalanceTemplates.AsNoTracking().Where(t => t.CycleId == place.CycleId && t.BuildingId == place.BuildingId).OrderBy(t => t.Id);
}
