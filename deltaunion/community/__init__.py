"""The community (职工社区): posts, comments, likes, abuse reports and moderation.

Other apps attach posts to their own objects: a post's *subject* is any object of a model
registered in `community.subjects` (a generic relation: content type + object id), e.g. the
contest a practice tip or result is about, and later a red-heritage venue (its reviews) or a
recuperation trip (trip reviews). An app attaches content in three steps:

1. register its model once, when it is ready (its AppConfig.ready):
       from deltaunion.community import subjects
       subjects.register("venue", Venue, _("Venue"))
   The model declares scoping (`scope_org_field`, `scope_public_q`): a post may be written
   about an object only by someone who may see it, and `?subject=venue:12` in the API is a
   404 for anyone else.
2. write through the services: `post_create(by=…, kind=…, title=…, body=…, subject=venue)`;
   comments, likes, reports and moderation are the community's own and work the same for
   every subject.
3. read through the selectors: `posts_for(user, subject=venue)` (the posts a user may see,
   newest first), `post_figures(subjects=[venue])` (counts for statistics),
   `live_counts(posts)` (likes and comments with the increments not yet folded).

Posts belong to a union (`organisation`): its officers moderate them (`community.moderate`),
whatever the subject. Nothing here imports the apps that attach posts.
"""
