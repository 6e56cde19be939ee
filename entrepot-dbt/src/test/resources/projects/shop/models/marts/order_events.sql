{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
) }}

select event_id, order_id, kind, happened_at
from {{ ref('stg_events') }}
{% if is_incremental() %}
where happened_at >= (select max(happened_at) from {{ this }})
{% endif %}
