import { html } from '../html';

/**
 * `/graphiql`: the explorer's shell. Everything it runs is web/client/graphiql.ts, bundled with
 * GraphiQL and its styles by web/build.mjs, so it needs no network beyond this server.
 */
export function graphiqlPage(): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · 放心消费商户信用登记 API</title>
<link rel="stylesheet" href="/assets/graphiql.css">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body class="graphiql-page">
<header class="site graphiql-header"><a class="brand" href="/">放心消费商户信用登记</a> <span lang="en">GraphQL API explorer — put a token in the Headers tab as {"authorization": "Bearer …"}</span></header>
<main id="graphiql" lang="en"><p class="loading">Loading GraphiQL…</p></main>
<script type="module" src="/assets/graphiql.js"></script>
</body>
</html>
`.text;
}
