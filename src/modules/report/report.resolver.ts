import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import type { Context } from '../../context';
import { enumObject } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';
import { AppealConnection } from '../appeal/appeal.type';
import { REPORT_FIGURES, type ReportFigure as Figure } from './report.service';
import { AppealStatistics } from './report.type';

const ReportFigure = enumObject(REPORT_FIGURES);
registerEnumType(ReportFigure, { name: 'ReportFigure', description: 'A figure whose appeals a supervisor can list.' });

@Resolver(() => AppealStatistics)
export class ReportResolver {
  @Query(() => AppealStatistics, {
    description: 'The yearly 12315 figures of a region (421300: the whole city), as the bureau publishes them. Public; drill-down for supervisors.',
  })
  annualReport(@Ctx() ctx: Context, @Arg('year', () => Int) year: number, @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null) {
    return ctx.services.reports.annual(year, regionCode);
  }

  @Query(() => AppealStatistics, { description: 'The same figures for any period (Asia/Shanghai days, both ends included).' })
  appealStatistics(
    @Ctx() ctx: Context,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null,
  ) {
    return ctx.services.reports.statistics(from, to, regionCode);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @FieldResolver(() => AppealConnection, {
    nullable: true,
    description: 'Supervisors: the appeals behind a figure (in your regions), newest first. Null with a FORBIDDEN error on this field for anyone else.',
  })
  drillDown(
    @Root() stats: AppealStatistics,
    @Ctx() ctx: Context,
    @Arg('figure', () => ReportFigure) figure: Figure,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const condition = ctx.services.reports.figureCondition(figure, stats.from, stats.to, stats.regionCode);
    return ctx.services.appeals.list({}, first, after, condition);
  }
}
