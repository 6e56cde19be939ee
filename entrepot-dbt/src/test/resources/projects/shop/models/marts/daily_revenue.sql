{{ config(materialized='incremental', unique_key=['order_date', 'status'], incremental_strategy='delete+insert') }}

select order_date, status, sum(amount) as revenue, count(*) as orders
from {{ ref('orders') }}
group by 1, 2
