// `feedgate feeds ...`: an instance's feeds and feed groups over the feed management API
// (/api/management/), in pgutil's habits.
import type { Command } from 'commander';
import { registerFeedsCreate } from './create';
import { registerFeedsDelete } from './delete';
import { registerFeedGroupsCreate } from './groups/create';
import { registerFeedGroupsDelete } from './groups/delete';
import { registerFeedGroupsList } from './groups/list';
import { registerFeedsList } from './list';

export function registerFeeds(program: Command): void {
  const feeds = program
    .command('feeds')
    .description("list, create and delete an instance's feeds and feed groups, over HTTP");
  registerFeedsList(feeds);
  registerFeedsCreate(feeds);
  registerFeedsDelete(feeds);
  const groups = feeds.command('groups').description('list, create and delete feed groups');
  registerFeedGroupsList(groups);
  registerFeedGroupsCreate(groups);
  registerFeedGroupsDelete(groups);
}
