package dev.dbmigration.operator.api.v1alpha1;

/**
 * Who lets a planned run go ahead: the operator, as soon as the plan is kept ({@code Automatic}),
 * or a person, by annotating the plan's digest ({@code Manual}).
 */
public enum Approval {
  Automatic,
  Manual
}
