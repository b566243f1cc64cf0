-- Report: the fitted topic models the report does not show ($models), and why ($asked: one model was asked for).
SELECT model_id, method, lang, created_at,
       CASE WHEN $asked THEN 'another model was asked for (--model)'
            ELSE 'an older ' || method || ' model of the ' || lang || ' posts: the report shows the latest of each '
                 || 'method and language' END AS reason
FROM topic_models
WHERE model_id NOT IN (SELECT unnest($models))
ORDER BY created_at DESC
