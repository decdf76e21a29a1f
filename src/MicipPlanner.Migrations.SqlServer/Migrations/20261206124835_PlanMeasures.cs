using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PlanMeasures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PlanMeasures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DistrictId = table.Column<int>(type: "int", nullable: false),
                    CycleId = table.Column<int>(type: "int", nullable: false),
                    GoalId = table.Column<int>(type: "int", nullable: true),
                    StrategyId = table.Column<int>(type: "int", nullable: true),
                    ActivityId = table.Column<int>(type: "int", nullable: true),
                    Name = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Unit = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Better = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    BaselineValue = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    BaselineDate = table.Column<DateOnly>(type: "date", nullable: true),
                    EndTargetValue = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    EndTargetDate = table.Column<DateOnly>(type: "date", nullable: true),
                    DataSource = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanMeasures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanMeasures_Cycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "Cycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PlanMeasures_PlanActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "PlanActivities",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PlanMeasures_PlanGoals_GoalId",
                        column: x => x.GoalId,
                        principalTable: "PlanGoals",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PlanMeasures_PlanStrategies_StrategyId",
                        column: x => x.StrategyId,
                        principalTable: "PlanStrategies",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "PlanMeasurePhases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DistrictId = table.Column<int>(type: "int", nullable: false),
                    CycleId = table.Column<int>(type: "int", nullable: false),
                    MeasureId = table.Column<int>(type: "int", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Label = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanMeasurePhases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanMeasurePhases_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PlanMeasureTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DistrictId = table.Column<int>(type: "int", nullable: false),
                    CycleId = table.Column<int>(type: "int", nullable: false),
                    MeasureId = table.Column<int>(type: "int", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Value = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanMeasureTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanMeasureTargets_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PlanMeasureValues",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DistrictId = table.Column<int>(type: "int", nullable: false),
                    CycleId = table.Column<int>(type: "int", nullable: false),
                    MeasureId = table.Column<int>(type: "int", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Value = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    BuildingId = table.Column<int>(type: "int", nullable: true),
                    Note = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    RecordedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanMeasureValues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanMeasureValues_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PlanMeasureValues_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasurePhases_CycleId",
                table: "PlanMeasurePhases",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasurePhases_DistrictId",
                table: "PlanMeasurePhases",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasurePhases_MeasureId_Date",
                table: "PlanMeasurePhases",
                columns: new[] { "MeasureId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_ActivityId",
                table: "PlanMeasures",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_CycleId",
                table: "PlanMeasures",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_DistrictId",
                table: "PlanMeasures",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_GoalId",
                table: "PlanMeasures",
                column: "GoalId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_StrategyId",
                table: "PlanMeasures",
                column: "StrategyId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureTargets_CycleId",
                table: "PlanMeasureTargets",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureTargets_DistrictId",
                table: "PlanMeasureTargets",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureTargets_MeasureId_Date",
                table: "PlanMeasureTargets",
                columns: new[] { "MeasureId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureValues_BuildingId",
                table: "PlanMeasureValues",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureValues_CycleId",
                table: "PlanMeasureValues",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureValues_DistrictId",
                table: "PlanMeasureValues",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasureValues_MeasureId_Date",
                table: "PlanMeasureValues",
                columns: new[] { "MeasureId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlanMeasurePhases");

            migrationBuilder.DropTable(
                name: "PlanMeasureTargets");

            migrationBuilder.DropTable(
                name: "PlanMeasureValues");

            migrationBuilder.DropTable(
                name: "PlanMeasures");
        }
    }
}
