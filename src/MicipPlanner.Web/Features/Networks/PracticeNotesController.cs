using MicipPlanner.Domain.Networks;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Web.Features.Districts.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MicipPlanner.Web.Features.Networks;

/// <summary>A finalized rubric row the district may write a note about.</summary>
public sealed record FinalizedRow(int CycleId, string SchoolYear, RubricRow Row, int Level, string LevelName);

public sealed record OwnNote(int Id, string RowLabel, string SchoolYear, string LevelName, string Text, string ContactRole, bool IsAnonymous,
    DateTimeOffset SharedAt, DateTimeOffset? WithdrawnAt, bool IsProposal, bool CanChange);

public sealed record PracticeNotesPage(DistrictContext District, bool Shares, IReadOnlyList<(int Id, string Name)> Networks,
    IReadOnlyList<FinalizedRow> Rows, IReadOnlyList<OwnNote> Notes, PracticeNoteForm Form, bool CanShare, bool CanPropose);

public sealed record PracticeNoteEditPage(DistrictContext District, int NoteId, string RowLabel, string LevelName, PracticeNoteForm Form);

/// <summary>
/// A district's practice notes: the key leader shares a short note on a finalized rubric row with the district's networks
/// (named or anonymous), edits it or withdraws it. A district team member proposes a note, which the key leader publishes
/// (ADR 013). Every step is in the audit trail; a withdrawn note leaves every network at once.
/// </summary>
[Route("districts/{districtId:int}/practice-notes")]
public sealed class PracticeNotesController : DistrictControllerBase
{
    private const string EditView = "~/Features/Networks/EditNote.cshtml";
    private const string IndexView = "~/Features/Networks/PracticeNotes.cshtml";

    [HttpGet("")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Index(int districtId, int? cycle, string? row)
    {
        var district = CurrentDistrict;
        if (!district.Permissions.CanSeeDistrictReports) return Denied();
        var page = await PageAsync(district, new PracticeNoteForm { CycleId = cycle, RowKey = row ?? "" });
        return View(IndexView, page);
    }

    [HttpPost("")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Create(int districtId, PracticeNoteForm form)
    {
        var district = CurrentDistrict;
        if (!district.Permissions.CanProposePracticeNotes) return Denied();
        var page = await PageAsync(district, form);
        var target = page.Rows.FirstOrDefault(r => r.CycleId == form.CycleId && r.Row.Key == form.RowKey);
        if (!page.Shares) ModelState.AddModelError("", "Turn on “Share anonymised results with the network” under Edit district before sharing notes.");
        else if (page.Networks.Count == 0) ModelState.AddModelError("", "The district is not on a network yet; an administrator adds districts to networks.");
        if (target is null && FormText.HasText(form.RowKey)) ModelState.AddModelError(nameof(PracticeNoteForm.RowKey), "Choose one of the district's finalized rubric rows.");
        if (!ModelState.IsValid) return View(IndexView, page);
        var now = Clock.GetUtcNow();
        Db.PracticeNotes.Add(new PracticeNote
        {
            DistrictId = districtId, CycleId = target!.CycleId, RowKey = target.Row.Key, Level = target.Level,
            Text = FormText.Clean(form.Text), ContactRole = FormText.Clean(form.ContactRole), IsAnonymous = form.IsAnonymous,
            CreatedByUserId = CurrentUserId, CreatedAt = now, UpdatedAt = now,
            // Only the key leader speaks for the district; anyone else's note waits for them.
            IsProposal = !district.Permissions.CanSharePracticeNotes,
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = !district.Permissions.CanSharePracticeNotes ? "Your note is proposed; the network sees it once the key leader publishes it."
            : form.IsAnonymous ? "Your note is shared with the network, without the district's name." : "Your note is shared with the network under the district's name.";
        return RedirectToAction(nameof(Index), "PracticeNotes", new { districtId }, "notes");
    }

    [HttpGet("{noteId:int}/edit")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Edit(int districtId, int noteId)
    {
        var district = CurrentDistrict;
        var note = await Db.PracticeNotes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == noteId && n.DistrictId == districtId && n.WithdrawnAt == null);
        if (note is null) return NotFound();
        if (!district.Permissions.CanChangePracticeNote(note.IsProposal, note.CreatedByUserId == CurrentUserId)) return Denied();
        var form = new PracticeNoteForm { CycleId = note.CycleId, RowKey = note.RowKey, Text = note.Text, ContactRole = note.ContactRole, IsAnonymous = note.IsAnonymous, Version = note.Version };
        return View(EditView, EditPage(district, note, form));
    }

    [HttpPost("{noteId:int}/edit")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Update(int districtId, int noteId, PracticeNoteForm form)
    {
        var district = CurrentDistrict;
        var note = await Db.PracticeNotes.SingleOrDefaultAsync(n => n.Id == noteId && n.DistrictId == districtId && n.WithdrawnAt == null);
        if (note is null) return NotFound();
        if (!district.Permissions.CanChangePracticeNote(note.IsProposal, note.CreatedByUserId == CurrentUserId)) return Denied();
        // Row and cycle stay what the note was shared on; only the words, the contact and the name choice change.
        ModelState.Remove(nameof(PracticeNoteForm.RowKey));
        form.RowKey = note.RowKey;
        form.CycleId = note.CycleId;
        if (!ModelState.IsValid) return View(EditView, EditPage(district, note, form));
        if (form.Version is { } seen) Db.ShownAs(note, seen);
        note.Text = FormText.Clean(form.Text);
        note.ContactRole = FormText.Clean(form.ContactRole);
        note.IsAnonymous = form.IsAnonymous;
        note.UpdatedAt = Clock.GetUtcNow();
        if (!await this.SavedWithoutConflictAsync(Db, "Someone changed this note while you were editing it. Reload the page to see their version, then make your change again."))
            return View(EditView, EditPage(district, note, form));
        TempData["Status"] = "Note saved; the network sees the new text now.";
        return RedirectToAction(nameof(Index), "PracticeNotes", new { districtId }, "notes");
    }

    [HttpPost("{noteId:int}/withdraw")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Withdraw(int districtId, int noteId, ConfirmForm form)
    {
        var district = CurrentDistrict;
        var note = await Db.PracticeNotes.SingleOrDefaultAsync(n => n.Id == noteId && n.DistrictId == districtId && n.WithdrawnAt == null);
        if (note is null) return NotFound();
        if (!district.Permissions.CanChangePracticeNote(note.IsProposal, note.CreatedByUserId == CurrentUserId)) return Denied();
        if (!ModelState.IsValid)
        {
            var page = await PageAsync(district, new PracticeNoteForm());
            ModelState.Remove(nameof(ConfirmForm.Confirm));
            ModelState.AddModelError(nameof(ConfirmForm.Confirm), "Tick “Confirm” beside the note to withdraw it.");
            return View(IndexView, page);
        }
        note.WithdrawnAt = Clock.GetUtcNow();
        await Db.SaveChangesAsync();
        TempData["Status"] = "The note is withdrawn: no network shows it any more.";
        return RedirectToAction(nameof(Index), "PracticeNotes", new { districtId }, "notes");
    }

    /// <summary>The key leader publishes a team member's proposed note: from now on the network sees it.</summary>
    [HttpPost("{noteId:int}/publish")]
    [DistrictPage(Section = "practice-notes")]
    public async Task<IActionResult> Publish(int districtId, int noteId)
    {
        var district = CurrentDistrict;
        var note = await Db.PracticeNotes.SingleOrDefaultAsync(n => n.Id == noteId && n.DistrictId == districtId && n.WithdrawnAt == null && n.IsProposal);
        if (note is null) return NotFound();
        if (!district.Permissions.CanSharePracticeNotes) return Denied();
        note.IsProposal = false;
        note.UpdatedAt = Clock.GetUtcNow();
        await Db.SaveChangesAsync();
        TempData["Status"] = note.IsAnonymous ? "The note is published to the network, without the district's name." : "The note is published to the network under the district's name.";
        return RedirectToAction(nameof(Index), "PracticeNotes", new { districtId }, "notes");
    }

    private PracticeNoteEditPage EditPage(DistrictContext district, PracticeNote note, PracticeNoteForm form)
    {
        var toolkit = Toolkits.Default;
        return new PracticeNoteEditPage(district, note.Id, toolkit.Rubric.Rows.FirstOrDefault(r => r.Key == note.RowKey)?.Label ?? note.RowKey,
            toolkit.Rubric.Levels.FirstOrDefault(l => l.Level == note.Level)?.Name ?? "", form);
    }

    private async Task<PracticeNotesPage> PageAsync(DistrictContext district, PracticeNoteForm form)
    {
        var districtId = district.DistrictId;
        var shares = await Db.Districts.Where(d => d.Id == districtId).Select(d => d.SharesWithNetworks).SingleAsync();
        var networks = (await Db.NetworkMemberships.Where(m => m.DistrictId == districtId)
            .Join(Db.Networks, m => m.NetworkId, n => n.Id, (m, n) => new { n.Id, n.Name }).OrderBy(n => n.Name).ToListAsync())
            .Select(n => (n.Id, n.Name)).ToList();
        // Every finalized row of every finalized cycle, newest school year first.
        var consensus = await Db.ConsensusRatings.AsNoTracking().Where(c => c.DistrictId == districtId)
            .Join(Db.Cycles.Where(cy => cy.RubricFinalizedAt != null), c => c.CycleId, cy => cy.Id,
                (c, cy) => new { c.CycleId, cy.StartYear, cy.ToolkitKey, cy.ToolkitVersion, c.RowKey, c.Level })
            .OrderByDescending(x => x.StartYear).ToListAsync();
        var rows = new List<FinalizedRow>();
        foreach (var c in consensus)
        {
            var toolkit = Toolkits.Get(c.ToolkitKey, c.ToolkitVersion);
            var row = toolkit.Rubric.Rows.FirstOrDefault(r => r.Key == c.RowKey);
            if (row is null) continue;
            rows.Add(new FinalizedRow(c.CycleId, Domain.Organisation.SchoolYears.Format(c.StartYear), row, c.Level,
                toolkit.Rubric.Levels.FirstOrDefault(l => l.Level == c.Level)?.Name ?? ""));
        }
        rows = rows.OrderByDescending(r => r.SchoolYear, StringComparer.Ordinal).ThenBy(r => r.Row.Number).ToList();
        var defaults = Toolkits.Default;
        var notes = await Db.PracticeNotes.AsNoTracking().Where(n => n.DistrictId == districtId)
            .Join(Db.Cycles, n => n.CycleId, cy => cy.Id, (n, cy) => new { n, cy.StartYear })
            .OrderByDescending(x => x.n.CreatedAt).ThenByDescending(x => x.n.Id).Take(200).ToListAsync();
        return new PracticeNotesPage(district, shares, networks, rows,
            notes.Select(x => new OwnNote(x.n.Id, defaults.Rubric.Rows.FirstOrDefault(r => r.Key == x.n.RowKey)?.Label ?? x.n.RowKey,
                Domain.Organisation.SchoolYears.Format(x.StartYear), defaults.Rubric.Levels.FirstOrDefault(l => l.Level == x.n.Level)?.Name ?? "",
                x.n.Text, x.n.ContactRole, x.n.IsAnonymous, x.n.CreatedAt, x.n.WithdrawnAt, x.n.IsProposal,
                district.Permissions.CanChangePracticeNote(x.n.IsProposal, x.n.CreatedByUserId == CurrentUserId))).ToList(),
            form, district.Permissions.CanSharePracticeNotes, district.Permissions.CanProposePracticeNotes);
    }
}
