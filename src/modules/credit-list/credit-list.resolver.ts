import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { AddCreditListEntryInput, RemoveCreditListEntryInput } from '../merchant/merchant.input';
import { CreditListEntry } from './credit-list.type';

@Resolver(() => CreditListEntry)
export class CreditListResolver {
  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => CreditListEntry, { description: 'Put a merchant of your region on a credit list.' })
  addCreditListEntry(@Ctx() ctx: Context, @Arg('input', () => AddCreditListEntryInput) input: AddCreditListEntryInput) {
    return ctx.services.creditLists.add(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => CreditListEntry, { description: '信用修复: take a merchant of your region off a list.' })
  removeCreditListEntry(@Ctx() ctx: Context, @Arg('input', () => RemoveCreditListEntryInput) input: RemoveCreditListEntryInput) {
    return ctx.services.creditLists.remove(input);
  }
}
