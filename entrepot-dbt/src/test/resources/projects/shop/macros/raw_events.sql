{# The raw events table stands for data an ingestion job loads; the hook creates it on the first run. #}
{% macro create_raw_events() %}
    create schema if not exists raw;
    create table if not exists raw.events as
    select * from (values
        (1, 1, 'created', timestamp '2024-01-05 09:00:00'),
        (2, 1, 'shipped', timestamp '2024-01-06 10:00:00'),
        (3, 2, 'created', timestamp '2024-01-20 11:30:00'),
        (4, 3, 'created', timestamp '2024-02-02 08:15:00')
    ) as events(event_id, order_id, kind, happened_at)
{% endmacro %}
