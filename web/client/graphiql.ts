// The offline explorer: GraphiQL and its styles bundled from npm at build time (web/build.mjs),
// queries over HTTP and subscriptions over graphql-ws on this server, the README's operations as tabs.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';

/** The README's operations, extracted by web/build.mjs. */
declare const __EXAMPLES__: { query: string; headers?: string }[];

const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  // The headers editor's `authorization` also goes into connectionParams of the socket.
  subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
});

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    createElement(GraphiQL, {
      fetcher,
      defaultTabs: __EXAMPLES__,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
}
