using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddGoalEvaluations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HistoryMeasureId",
                table: "PlanMeasures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CarriedFromGoalId",
                table: "PlanGoals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GoalEvaluations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    CycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    GoalId = table.Column<int>(type: "INTEGER", nullable: false),
                    Readiness = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Fidelity = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ScaleAndReach = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Impact = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AmountUsed = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Rationale = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    UpdatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GoalEvaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GoalEvaluations_PlanGoals_GoalId",
                        column: x => x.GoalId,
                        principalTable: "PlanGoals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlanMeasures_HistoryMeasureId",
                table: "PlanMeasures",
                column: "HistoryMeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanGoals_CarriedFromGoalId",
                table: "PlanGoals",
                column: "CarriedFromGoalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GoalEvaluations_CycleId",
                table: "GoalEvaluations",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_GoalEvaluations_DistrictId",
                table: "GoalEvaluations",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_GoalEvaluations_GoalId",
                table: "GoalEvaluations",
                column: "GoalId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GoalEvaluations");

            migrationBuilder.DropIndex(
                name: "IX_PlanMeasures_HistoryMeasureId",
                table: "PlanMeasures");

            migrationBuilder.DropIndex(
                name: "IX_PlanGoals_CarriedFromGoalId",
                table: "PlanGoals");

            migrationBuilder.DropColumn(
                name: "HistoryMeasureId",
                table: "PlanMeasures");

            migrationBuilder.DropColumn(
                name: "CarriedFromGoalId",
                table: "PlanGoals");
        }
    }
}
