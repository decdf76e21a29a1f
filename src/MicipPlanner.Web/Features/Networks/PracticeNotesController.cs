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

/// <summary>A finished PDSA cycle's learning, offered as a practice note: the cycle, the rubric rows to file it under, the form.</summary>
/// <param name="Rows">The rubric rows of the cycle's toolkit with the district's consensus level that year (0: none recorded).</param>
public sealed record PdsaNotePage(DistrictContext District, int PdsaId, int CycleId, string ChangeIdea, string Activity, string SchoolYear,
    bool Shares, IReadOnlyList<(int Id, string Name)> Networks, IReadOnlyList<(RubricRow Row, int Level)> Rows, PracticeNoteForm Form, bool CanShare);

public sealed record PracticeNoteEditPage(DistrictContext District, int NoteId, string RowLabel, string LevelName, PracticeNoteForm Form);

/// <summary>
/// A district's practice notes: the key leader shares a short note on a finalized rubric row with the district's networks
/// (named or anonymous), edits it or withdraws it. A district team member proposes a note, which the key leader publishes
/// (ADR 013). Every step is in the audit trail; a withdrawn note leaves every network at once.
/// </summary>
[Route("districts/{districtId:int}/practice-notes")]
public sealed class PracticeNotesController(DistrictPageServices services) : DistrictControllerBase(services)
{
    private const string EditView = "EditNote";
    private const string IndexView = "PracticeNotes";
    private const string PdsaView = "PdsaNote";

    [HttpGet("")]
    [DistrictPage(Section = "practice-notes", Requires = Permission.SeeDistrictReports)]
    public async Task<IActionResult> Index(int districtId, int? cycle, string? row)
    {
        var district = CurrentDistrict;
        var page = await PageAsync(district, new PracticeNoteForm { CycleId = cycle, RowKey = row ?? "" });
        return View(IndexView, page);
    }

    [HttpPost("")]
    [DistrictPage(Section = "practice-notes", Requires = Permission.ProposePracticeNotes)]
    public async Task<IActionResult> Create(int districtId, PracticeNoteForm form)
    {
        var district = CurrentDistrict;
        var page = await PageAsync(district, form);
        var target = page.Rows.FirstOrDefault(r => r.CycleId == form.CycleId && r.Row.Key == form.RowKey);
        if (!page.Shares) ModelState.AddModelError("", "Turn on “Share anonymised results with the network” under Edit district before sharing notes.");
        else if (page.Networks.Count == 0) ModelState.AddModelError("", "The district is not on a network yet; an administrator adds districts to networks.");
        if (target is null && FormText.HasText(form.RowKey)) ModelState.AddModelError(nameof(PracticeNoteForm.RowKey), "Choose one of the district's finalized rubric rows.");
        if (!ModelState.IsValid) return View(IndexView, page);
        return await AddNoteAsync(district, target!.CycleId, target.Row.Key, target.Level, form, sourcePdsaCycleId: null);
    }

    /// <summary>A finished PDSA cycle's learning as a practice note: the form prefilled from the cycle, under the goal's first rubric row.</summary>
    [HttpGet("from-pdsa/{pdsaId:int}")]
    [DistrictPage(Section = "practice-notes", Requires = Permission.ProposePracticeNotes)]
    public async Task<IActionResult> FromPdsa(int districtId, int pdsaId)
    {
        var district = CurrentDistrict;
        var page = await PdsaPageAsync(district, pdsaId, null);
        return page is null ? NotFound() : View(PdsaView, page);
    }

    [HttpPost("from-pdsa/{pdsaId:int}")]
    [DistrictPage(Section = "practice-notes", Requires = Permission.ProposePracticeNotes)]
    public async Task<IActionResult> ShareFromPdsa(int districtId, int pdsaId, PracticeNoteForm form)
    {
        var district = CurrentDistrict;
        if (await PdsaPageAsync(district, pdsaId, form) is not { } page) return NotFound();
        var target = page.Rows.FirstOrDefault(r => r.Row.Key == form.RowKey);
        if (!page.Shares) ModelState.AddModelError("", "Turn on “Share anonymised results with the network” under Edit district before sharing notes.");
        else if (page.Networks.Count == 0) ModelState.AddModelError("", "The district is not on a network yet; an administrator adds districts to networks.");
        if (target.Row is null && FormText.HasText(form.RowKey)) ModelState.AddModelError(nameof(PracticeNoteForm.RowKey), "Choose one of the rubric rows in the list.");
        if (!ModelState.IsValid) return View(PdsaView, page);
        return await AddNoteAsync(district, page.CycleId, target.Row!.Key, target.Level, form, pdsaId);
    }

    /// <summary>
    /// Every new note, on a rubric row or from a PDSA cycle: the key leader's goes to the network at once, anyone else's waits
    /// for the key leader to publish it.
    /// </summary>
    private async Task<IActionResult> AddNoteAsync(DistrictContext district, int cycleId, string rowKey, int level, PracticeNoteForm form, int? sourcePdsaCycleId)
    {
        var now = Clock.GetUtcNow();
        Db.PracticeNotes.Add(new PracticeNote
        {
            DistrictId = district.DistrictId, CycleId = cycleId, RowKey = rowKey, Level = level,
            Text = FormText.Clean(form.Text), ContactRole = FormText.Clean(form.ContactRole), IsAnonymous = form.IsAnonymous,
            CreatedByUserId = CurrentUserId, CreatedAt = now, UpdatedAt = now, SourcePdsaCycleId = sourcePdsaCycleId,
            // Only the key leader speaks for the district; anyone else's note waits for them.
            IsProposal = !district.Permissions.CanSharePracticeNotes,
        });
        await Db.SaveChangesAsync();
        TempData["Status"] = !district.Permissions.CanSharePracticeNotes ? "Your note is proposed; the network sees it once the key leader publishes it."
            : form.IsAnonymous ? "Your note is shared with the network, without the district's name." : "Your note is shared with the network under the district's name.";
        return RedirectToAction(nameof(Index), "PracticeNotes", new { districtId = district.DistrictId }, "notes");
    }

    /// <summary>
    /// The share page of a finished (decided) PDSA cycle of the district, or null. Unposted, the text is the cycle's learning —
    /// change idea, prediction, result, decision — for the key leader to shorten or strip of names before it leaves the
    /// district, and the row is the first the cycle's goal serves.
    /// </summary>
    private async Task<PdsaNotePage?> PdsaPageAsync(DistrictContext district, int pdsaId, PracticeNoteForm? posted)
    {
        var districtId = district.DistrictId;
        var found = await Db.PdsaCycles.AsNoTracking().Where(p => p.Id == pdsaId && p.DistrictId == districtId && p.Decision != null)
            .Select(p => new
            {
                Pdsa = p,
                Activity = Db.PlanActivities.Where(a => a.Id == p.ActivityId).Select(a => a.Title).FirstOrDefault(),
                GoalRows = Db.PlanGoals.Where(g => Db.PlanActivities.Any(a => a.Id == p.ActivityId
                    && Db.PlanStrategies.Any(s => s.Id == a.StrategyId && s.GoalId == g.Id))).Select(g => g.RubricRowKeys).FirstOrDefault(),
                Cycle = Db.Cycles.Where(c => c.Id == p.CycleId).Select(c => new { c.StartYear, c.ToolkitKey, c.ToolkitVersion }).First(),
            }).SingleOrDefaultAsync();
        if (found is null) return null;
        var pdsa = found.Pdsa;
        var consensus = await Db.ConsensusRatings.AsNoTracking().Where(c => c.CycleId == pdsa.CycleId && c.DistrictId == districtId)
            .ToDictionaryAsync(c => c.RowKey, c => c.Level);
        var toolkit = Toolkits.Get(found.Cycle.ToolkitKey, found.Cycle.ToolkitVersion);
        var rows = toolkit.Rubric.Rows.Select(r => (r, consensus.GetValueOrDefault(r.Key))).ToList();
        var form = posted ?? new PracticeNoteForm
        {
            CycleId = pdsa.CycleId,
            RowKey = Domain.Plan.PlanRules.RowKeys(found.GoalRows ?? "").FirstOrDefault(k => rows.Any(r => r.r.Key == k)) ?? rows.FirstOrDefault().r?.Key ?? "",
            Text = Learning(pdsa),
        };
        var shares = await Db.Districts.Where(d => d.Id == districtId).Select(d => d.SharesWithNetworks).SingleAsync();
        var networks = (await Db.NetworkMemberships.Where(m => m.DistrictId == districtId)
            .Join(Db.Networks, m => m.NetworkId, n => n.Id, (m, n) => new { n.Id, n.Name }).OrderBy(n => n.Name).ToListAsync())
            .Select(n => (n.Id, n.Name)).ToList();
        return new PdsaNotePage(district, pdsa.Id, pdsa.CycleId, pdsa.ChangeIdea, found.Activity ?? "", Domain.Organisation.SchoolYears.Format(found.Cycle.StartYear),
            shares, networks, rows, form, district.Permissions.CanSharePracticeNotes);
    }

    /// <summary>The cycle's learning in four short paragraphs, cut to what a note holds.</summary>
    public static string Learning(Domain.Plan.PdsaCycle pdsa)
    {
        var decision = pdsa.Decision is { } d ? Domain.Plan.PdsaRules.DisplayName(d) : "";
        var text = $"Change idea: {pdsa.ChangeIdea}\nPrediction: {pdsa.Prediction}\nResult: {pdsa.Result}\nDecision: {decision}"
            + (pdsa.DecisionNote.Length > 0 ? $" — {pdsa.DecisionNote}" : "");
        return text.Length <= PracticeNote.MaxTextLength ? text : text[..(PracticeNote.MaxTextLength - 1)] + "…";
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
