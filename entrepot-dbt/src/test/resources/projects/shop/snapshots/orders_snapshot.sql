{# Parsed, selected and listed with the project; snapshots are run by `entrepot dbt snapshot` (next issue). #}
{% snapshot orders_snapshot %}
{{ config(target_schema='snapshots', unique_key='order_id', strategy='check', check_cols=['status']) }}

select * from {{ ref('stg_orders') }}

{% endsnapshot %}
