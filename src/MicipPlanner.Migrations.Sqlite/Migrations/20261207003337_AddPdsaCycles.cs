using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddPdsaCycles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PdsaCycles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    CycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousPdsaCycleId = table.Column<int>(type: "INTEGER", nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ChangeIdea = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Prediction = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Who = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Where = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    WhatHappened = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Problems = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Observations = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PredictionOutcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PdsaCycles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PdsaCycles_PdsaCycles_PreviousPdsaCycleId",
                        column: x => x.PreviousPdsaCycleId,
                        principalTable: "PdsaCycles",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PdsaCycles_PlanActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "PlanActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PdsaMeasureLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    PdsaCycleId = table.Column<int>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PdsaMeasureLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PdsaMeasureLinks_PdsaCycles_PdsaCycleId",
                        column: x => x.PdsaCycleId,
                        principalTable: "PdsaCycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PdsaMeasureLinks_PlanMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "PlanMeasures",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateIndex(
                name: "IX_PdsaCycles_ActivityId",
                table: "PdsaCycles",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_PdsaCycles_CycleId",
                table: "PdsaCycles",
                column: "CycleId");

            migrationBuilder.CreateIndex(
                name: "IX_PdsaCycles_DistrictId",
                table: "PdsaCycles",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PdsaCycles_PreviousPdsaCycleId",
                table: "PdsaCycles",
                column: "PreviousPdsaCycleId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PdsaMeasureLinks_DistrictId",
                table: "PdsaMeasureLinks",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_PdsaMeasureLinks_MeasureId",
                table: "PdsaMeasureLinks",
                column: "MeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_PdsaMeasureLinks_PdsaCycleId_MeasureId",
                table: "PdsaMeasureLinks",
                columns: new[] { "PdsaCycleId", "MeasureId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PdsaMeasureLinks");

            migrationBuilder.DropTable(
                name: "PdsaCycles");
        }
    }
}
