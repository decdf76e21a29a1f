using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace MicipPlanner.Web.Features.BoardReport;

/// <summary>
/// Writes the board report as a Word document a superintendent's office can edit: real heading styles (so Word's
/// navigation pane and table of contents work), real tables with header rows, each run chart as a picture with its text
/// alternative, and the page number in the footer. Every stored text goes in as the text of a run, never as markup or a
/// field, so nothing a user typed can become structure, a formula or a link in the document.
/// </summary>
public static class BoardReportDocx
{
    private const long EmuPerInch = 914400;
    private const long TextWidthEmu = (long)(6.5 * EmuPerInch);

    public static byte[] Write(BoardReportModel report, IReadOnlyDictionary<int, byte[]> chartPictures)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = Clean(report.Title);
            document.PackageProperties.Subject = Clean($"{report.DistrictName}: report to the board of education and the community");
            document.PackageProperties.Creator = Clean(report.DistrictName);
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            var body = new Body();
            main.Document = new Document(body);
            var writer = new Writer(main, body);

            writer.Paragraph(report.Title, "Title");
            writer.Paragraph($"{report.DistrictName} · Report to the board of education and the community");
            writer.Paragraph($"Prepared {BoardReportQuery.Date(report.Prepared)} from the district's improvement plan (MICIP).");
            foreach (var section in report.Sections)
            {
                writer.Paragraph(section.Heading, "Heading1");
                writer.Paragraph(section.Introduction);
                switch (section)
                {
                    case BoardGoalsSection goals:
                        WriteGoals(writer, goals, chartPictures);
                        break;
                    case BoardEvaluationSection evaluation:
                        if (evaluation.Goals.Count == 0) writer.Paragraph("The plan has no goals to evaluate.");
                        else
                            writer.Table($"Year-end decisions of {report.SchoolYear}", ["Goal", "Decision", "Why"],
                                evaluation.Goals.Select(e => (IReadOnlyList<string>)[e.Goal, e.Decision ?? "Not evaluated yet", e.Rationale]).ToList());
                        break;
                    case BoardPdsaSection pdsa:
                        WritePdsa(writer, pdsa, report.SchoolYear);
                        break;
                    case BoardRubricSection rubric:
                        writer.Table("Consensus level by school year", ["Rubric row", .. rubric.Years],
                            rubric.Rows.Select(r => (IReadOnlyList<string>)[r.Label, .. r.Levels.Select(l => l ?? "—")]).ToList());
                        break;
                }
            }

            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(PageNumberParagraph(report.Title));
            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new PageSize { Width = 12240U, Height = 15840U },
                new PageMargin { Top = 1080, Bottom = 1080, Left = 1080U, Right = 1080U, Header = 720U, Footer = 720U, Gutter = 0U }));
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private static void WriteGoals(Writer writer, BoardGoalsSection section, IReadOnlyDictionary<int, byte[]> chartPictures)
    {
        if (section.Goals.Count == 0) writer.Paragraph("The plan has no goals yet.");
        for (var i = 0; i < section.Goals.Count; i++)
        {
            var goal = section.Goals[i];
            writer.Paragraph($"Goal {i + 1}: {goal.Statement}", "Heading2");
            writer.Table($"Goal {i + 1} at a glance", ["", "This year"],
            [
                ["State", goal.StateText],
                ["Rubric rows it serves", goal.RubricRows.Count == 0 ? "None named" : string.Join("; ", goal.RubricRows)],
                ["Strategies", goal.Strategies.ToString(CultureInfo.InvariantCulture)],
                ["Activities", $"{goal.ActivitiesDone} of {goal.Activities} done" + (goal.ActivitiesOverdue > 0 ? $", {goal.ActivitiesOverdue} overdue" : "")],
            ]);
            foreach (var m in goal.Measures)
            {
                writer.Paragraph(m.Name, "Heading3");
                writer.Paragraph($"{m.Of}. Baseline: {m.Baseline ?? "not set"} · latest: {m.Latest ?? "no value yet"} · end target: {m.EndTarget ?? "not set"}.");
                if (m.Chart is not null && chartPictures.TryGetValue(m.Id, out var png))
                {
                    writer.Picture(png, m.ChartDescription, $"Run chart of {m.Name}");
                    writer.Paragraph(m.ChartDescription, "Caption");
                }
                writer.Paragraph(m.TargetCheck);
            }
        }
    }

    private static void WritePdsa(Writer writer, BoardPdsaSection section, string schoolYear)
    {
        if (section.Cycles.Count == 0)
        {
            writer.Paragraph("No PDSA cycle was run this year.");
            return;
        }
        writer.Table($"PDSA cycles of {schoolYear}", ["Change idea", "Prediction", "Result", "Decision"],
            section.Cycles.Select(p => (IReadOnlyList<string>)
            [
                $"{p.ChangeIdea}\nActivity: {p.Activity}" + (p.Dates.Length > 0 ? $" · {p.Dates}" : ""),
                p.Prediction,
                (p.Result.Length > 0 ? p.Result : "Not studied yet") + (p.Outcome is null ? "" : $" (prediction {p.Outcome.ToLowerInvariant()})"),
                (p.Decision ?? $"Not decided yet ({p.Stage.ToLowerInvariant()})") + (p.DecisionNote.Length > 0 ? $": {p.DecisionNote}" : ""),
            ]).ToList());
    }

    /// <summary>The footer: the report's title and "Page N of M", N and M being Word's own PAGE and NUMPAGES fields.</summary>
    private static Paragraph PageNumberParagraph(string title)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }));
        paragraph.Append(TextRuns($"{title} · Page "));
        paragraph.Append(Field("PAGE"));
        paragraph.Append(TextRuns(" of "));
        paragraph.Append(Field("NUMPAGES"));
        return paragraph;
    }

    private static IEnumerable<Run> Field(string code) =>
    [
        new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new Run(new FieldCode($" {code} ") { Space = SpaceProcessingModeValues.Preserve }),
        new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new Run(new Text("1")),
        new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
    ];

    /// <summary>
    /// A text as runs: each line a text element (line breaks as breaks), characters XML cannot hold left out. The SDK
    /// escapes the rest, so "&lt;w:p&gt;" or "=cmd|…" stays the characters it was.
    /// </summary>
    internal static IEnumerable<Run> TextRuns(string text, bool bold = false)
    {
        var lines = Clean(text).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var run = new Run();
        if (bold) run.Append(new RunProperties(new Bold()));
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.Append(new Break());
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        return [run];
    }

    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(ch).Append(text[++i]); continue; }
            if (ch == '\t') sb.Append(' ');
            else if (ch == '\n' || (XmlConvert.IsXmlChar(ch) && ch != '\r')) sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>Appends paragraphs, tables and pictures to the body, numbering the pictures.</summary>
    private sealed class Writer(MainDocumentPart main, Body body)
    {
        private uint _pictures;

        public void Paragraph(string text, string? style = null)
        {
            var paragraph = new Paragraph();
            if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
            paragraph.Append(TextRuns(text));
            body.Append(paragraph);
        }

        public void Table(string caption, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
        {
            var table = new Table(new TableProperties(
                new TableStyle { Val = "TableGrid" },
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableLook { Val = "04A0", FirstRow = true, FirstColumn = false, NoVerticalBand = true },
                new TableCaption { Val = Clean(caption) }));
            table.Append(new TableGrid(headers.Select(_ => new GridColumn { Width = (9360 / headers.Count).ToString(CultureInfo.InvariantCulture) })));
            // The header row repeats on every page the table runs onto.
            table.Append(new TableRow([new TableRowProperties(new TableHeader()), .. headers.Select(h => Cell(h, bold: true))]));
            foreach (var row in rows) table.Append(new TableRow(row.Select(value => Cell(value, bold: false))));
            body.Append(table);
            body.Append(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0" })));
        }

        private static TableCell Cell(string text, bool bold) =>
            new(new TableCellProperties(new TableCellWidth { Type = TableWidthUnitValues.Auto }),
                new Paragraph([new ParagraphProperties(new SpacingBetweenLines { After = "0" }), .. TextRuns(text, bold)]));

        /// <summary>A PNG at the text's width, inline, with its description as the picture's alt text.</summary>
        public void Picture(byte[] png, string description, string name)
        {
            var part = main.AddImagePart(ImagePartType.Png);
            using (var data = new MemoryStream(png)) part.FeedData(data);
            var (width, height) = PngSize(png);
            var cx = TextWidthEmu;
            var cy = width == 0 ? TextWidthEmu / 2 : TextWidthEmu * height / width;
            var id = ++_pictures;
            var alt = Clean(description);
            var inline = new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
                new DW.DocProperties { Id = id, Name = Clean(name), Description = alt },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(
                    new PIC.Picture(
                        new PIC.NonVisualPictureProperties(
                            new PIC.NonVisualDrawingProperties { Id = 0U, Name = $"chart-{id}.png", Description = alt },
                            new PIC.NonVisualPictureDrawingProperties()),
                        new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
                        new PIC.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
                { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
            };
            body.Append(new Paragraph(new ParagraphProperties(new KeepNext()), new Run(new Drawing(inline))));
        }

        /// <summary>Width and height from the PNG's header (the IHDR chunk, big-endian, at bytes 16 and 20).</summary>
        private static (long Width, long Height) PngSize(byte[] png) =>
            png.Length < 24 ? (0, 0)
                : (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4)),
                    System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4)));
    }

    private static Styles Styles() => new(
        new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", ComplexScript = "Calibri", EastAsia = "Calibri" },
                new FontSize { Val = "22" }, new FontSizeComplexScript { Val = "22" }, new Languages { Val = "en-US" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "120", Line = "264", LineRule = LineSpacingRuleValues.Auto }))),
        new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
        Heading("Title", "Title", 40, null),
        Heading("Heading1", "heading 1", 32, 0),
        Heading("Heading2", "heading 2", 26, 1),
        Heading("Heading3", "heading 3", 23, 2),
        new Style(new StyleName { Val = "caption" }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new PrimaryStyle(),
                new StyleParagraphProperties(new SpacingBetweenLines { After = "200" }),
                new StyleRunProperties(new Italic(), new Color { Val = "404040" }, new FontSize { Val = "19" }))
        { Type = StyleValues.Paragraph, StyleId = "Caption" },
        new Style(new StyleName { Val = "footer" }, new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new SpacingBetweenLines { After = "0" }, new Justification { Val = JustificationValues.Right }),
                new StyleRunProperties(new Color { Val = "404040" }, new FontSize { Val = "18" }))
        { Type = StyleValues.Paragraph, StyleId = "Footer" },
        new Style(new StyleName { Val = "Table Grid" }, new UIPriority { Val = 39 },
                new StyleParagraphProperties(new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
                new StyleTableProperties(
                    new TableBorders(Border<TopBorder>(), Border<LeftBorder>(), Border<BottomBorder>(), Border<RightBorder>(),
                        Border<InsideHorizontalBorder>(), Border<InsideVerticalBorder>()),
                    new TableCellMarginDefault(new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = 100, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = 100, Type = TableWidthValues.Dxa })))
        { Type = StyleValues.Table, StyleId = "TableGrid" });

    private static T Border<T>() where T : BorderType, new() =>
        new() { Val = BorderValues.Single, Size = 4U, Space = 0U, Color = "8A8F94" };

    /// <param name="outline">The heading's level in Word's outline (0 for Heading 1); none for the title.</param>
    private static Style Heading(string id, string name, int halfPoints, int? outline)
    {
        var paragraph = new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = outline is null ? "0" : "240", After = "80" });
        if (outline is { } level) paragraph.Append(new OutlineLevel { Val = level });
        return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" },
                new UIPriority { Val = outline is null ? 10 : 9 }, new PrimaryStyle(), paragraph,
                new StyleRunProperties(new Bold(), new Color { Val = "123A5A" }, new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) }))
        { Type = StyleValues.Paragraph, StyleId = id };
    }
}
