using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BuildingMonitoringReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MonitoringPeriods",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    CycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringPeriods", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringPeriods_Cycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "Cycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReportedMeasures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    CycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportedMeasures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReportedMeasures_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BuildingReports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    CycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodId = table.Column<int>(type: "INTEGER", nullable: false),
                    BuildingId = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Recommendations = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuildingReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BuildingReports_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_BuildingReports_MonitoringPeriods_PeriodId",
                        column: x => x.PeriodId,
                        principalTable: "MonitoringPeriods",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BuildingReportActivities",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Judgment = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuildingReportActivities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BuildingReportActivities_BuildingReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "BuildingReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_BuildingReportActivities_PlanActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "PlanActivities",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "BuildingReportTransitions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportId = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuildingReportTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BuildingReportTransitions_BuildingReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "BuildingReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BuildingReportValues",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportId = table.Column<int>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuildingReportValues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BuildingReportValues_BuildingReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "BuildingReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_BuildingReportValues_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportActivities_ActivityId",
                table: "BuildingReportActivities",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportActivities_DistrictId",
                table: "BuildingReportActivities",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportActivities_ReportId_ActivityId",
                table: "BuildingReportActivities",
                columns: new[] { "ReportId", "ActivityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReports_BuildingId",
                table: "BuildingReports",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReports_CycleId",
                table: "BuildingReports",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReports_DistrictId_State",
                table: "BuildingReports",
                columns: new[] { "DistrictId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReports_PeriodId_BuildingId",
                table: "BuildingReports",
                columns: new[] { "PeriodId", "BuildingId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportTransitions_DistrictId",
                table: "BuildingReportTransitions",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportTransitions_ReportId",
                table: "BuildingReportTransitions",
                column: "ReportId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportValues_DistrictId",
                table: "BuildingReportValues",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportValues_MeasureId",
                table: "BuildingReportValues",
                column: "MeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_BuildingReportValues_ReportId_MeasureId",
                table: "BuildingReportValues",
                columns: new[] { "ReportId", "MeasureId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringPeriods_CycleId_DueDate",
                table: "MonitoringPeriods",
                columns: new[] { "CycleId", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringPeriods_DistrictId",
                table: "MonitoringPeriods",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_ReportedMeasures_CycleId_MeasureId",
                table: "ReportedMeasures",
                columns: new[] { "CycleId", "MeasureId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReportedMeasures_DistrictId",
                table: "ReportedMeasures",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_ReportedMeasures_MeasureId",
                table: "ReportedMeasures",
                column: "MeasureId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BuildingReportActivities");

            migrationBuilder.DropTable(
                name: "BuildingReportTransitions");

            migrationBuilder.DropTable(
                name: "BuildingReportValues");

            migrationBuilder.DropTable(
                name: "ReportedMeasures");

            migrationBuilder.DropTable(
                name: "BuildingReports");

            migrationBuilder.DropTable(
                name: "MonitoringPeriods");
        }
    }
}
