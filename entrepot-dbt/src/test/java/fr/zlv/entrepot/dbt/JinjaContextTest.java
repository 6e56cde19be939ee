package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt's Jinja context, one feature per model, checked through the compiled SQL. */
class JinjaContextTest {

    @TempDir
    Path project;

    private final List<String> console = new CopyOnWriteArrayList<>();

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String compile(String model, String sql) throws IOException {
        write("models/" + model + ".sql", sql);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project)
                .withEnvironment(Map.of("SHOP_REGION", "west")).withVars(Map.of("cli_var", "from-cli"))
                .withConsole(console::add))) {
            dbt.seed(Selection.ALL);
            DbtEngine.CommandResult result = dbt.compile(Selection.of(model));
            assertThat(result.succeeded()).as(String.join("\n", console)).isTrue();
            return dbt.project().manifest().node("model.ctx." + model).compiledCode();
        }
    }

    private void project() throws IOException {
        write("dbt_project.yml", """
                name: ctx
                profile: ctx
                vars:
                  project_var: from-project
                models:
                  ctx:
                    +schema: analytics
                """);
        write("profiles.yml", """
                ctx:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: ctx.duckdb
                      schema: base
                """);
        write("seeds/items.csv", "id,label\n1,a\n2,b\n");
        write("macros/helpers.sql", """
                {% macro shout(text) -%}
                    {{ text | upper }}!
                {%- endmacro %}

                {% macro pair(a, b='second') -%}
                    {{ return([a, b]) }}
                {%- endmacro %}

                {% macro wrap(kind) -%}
                    {{ kind }}({{ caller() }})
                {%- endmacro %}
                """);
        write("macros/more.sql", """
                {% macro uses_other_file() -%}
                    {{ shout('hello') }}
                {%- endmacro %}
                """);
    }

    @Test
    void refSourceThisAndTarget() throws IOException {
        project();
        String sql = compile("m", "select * from {{ ref('items') }} -- {{ ref('ctx', 'items') }} {{ this }}"
                + " {{ this.schema }} {{ this.identifier }} {{ target.name }} {{ target.schema }} {{ target.type }}");
        // The seed is not under models: (no custom schema); the model is: base_analytics.
        assertThat(sql).isEqualTo("select * from \"base\".\"items\" -- \"base\".\"items\""
                + " \"base_analytics\".\"m\" base_analytics m dev base duckdb");
    }

    @Test
    void varsEnvVarsAndDefaults() throws IOException {
        project();
        String sql = compile("m", "select '{{ var(\"project_var\") }}', '{{ var(\"cli_var\") }}',"
                + " '{{ var(\"absent\", \"fallback\") }}', '{{ env_var(\"SHOP_REGION\") }}',"
                + " '{{ env_var(\"ABSENT_VAR\", \"none-set\") }}'");
        assertThat(sql).isEqualTo("select 'from-project', 'from-cli', 'fallback', 'west', 'none-set'");
    }

    @Test
    void macrosAcrossFilesReturnValuesAndCallBlocks() throws IOException {
        project();
        String sql = compile("m", """
                {%- set p = pair('first') -%}
                select '{{ uses_other_file() }}' as a, '{{ p[0] }}-{{ p[1] }}' as b,
                {% call wrap('lower') %}'X'{% endcall %} as c
                """);
        assertThat(sql).isEqualTo("select 'HELLO!' as a, 'first-second' as b,\nlower('X') as c");
    }

    @Test
    void macroDefaultsHoldingCommasParenthesesAndExpressions() throws IOException {
        project();
        write("macros/defaults.sql", """
                {% macro joined(items, delimiter_text="', '", order_by='count(*) desc', pair=('a', 'b'),
                                nested={'k': [1, 2]}, brace="}", n=1 + 2) -%}
                {{ items | join(delimiter_text) }}|{{ order_by }}|{{ pair[1] }}|{{ nested.k[1] }}|{{ brace }}|{{ n }}
                {%- endmacro %}
                """);
        String sql = compile("m", "{{ joined(['x', 'y']) }} {{ joined(['z'], order_by='n') }}"
                + " {{ joined(['p', 'q'], delimiter_text='+', n=7) }}");
        assertThat(sql).isEqualTo("x', 'y|count(*) desc|b|2|}|3 z|n|b|2|}|3 p+q|count(*) desc|b|2|}|7");
    }

    @Test
    void aCallAfterElseIsTheElseBranchNotACallOfTheWholeConditional() throws IOException {
        project();
        String sql = compile("m", "{% set n = 2 %}select '{{ 'yes' if n == 2 else var('project_var') }}' as b,"
                + " '{{ 'x' if n == 3 else var('project_var') }}' as c,"
                + " {% set label = 'a' if n > 5 else env_var('SHOP_REGION') %}'{{ label }}' as d,"
                + " case when 1 = 1 then 'sql' else coalesce(null, 'kept') end as e");
        assertThat(sql).isEqualTo("select 'yes' as b, 'from-project' as c, 'west' as d,"
                + " case when 1 = 1 then 'sql' else coalesce(null, 'kept') end as e");
    }

    @Test
    void aNoneArgumentStaysNoneEvenWhenTheCallerHasAVariableOfThatName() throws IOException {
        project();
        write("macros/scopes.sql", """
                {% macro inner(v=none, w=none) -%}
                {{ 'none' if v is none else v }}/{{ 'none' if w is none else w }}/{{ v | default('d', true) }}
                {%- endmacro %}
                {% macro outer(v, w) -%}
                {{ inner() }} {{ inner(w=none) }} {{ inner(v=v) }}
                {%- endmacro %}
                """);
        String sql = compile("m", "{% set v = 'top' %}{{ outer(3, 'x') }} {{ inner() }}");
        assertThat(sql).isEqualTo("none/none/d none/none/d 3/none/3 none/none/d");
    }

    @Test
    void pythonishBuiltinsAndModules() throws IOException {
        project();
        String sql = compile("m", """
                {%- set ns = namespace(total=0) -%}
                {%- for n in [1, 2, 3] %}{% set ns.total = ns.total + n %}{% endfor -%}
                {%- set d = {'b': 2, 'a': 1} -%}
                {%- set keys = [] -%}
                {%- for k in d %}{% do keys.append(k) %}{% endfor -%}
                {%- set parsed = fromjson('{"x": [1, 2]}') -%}
                {%- set y = fromyaml('k: v') -%}
                select {{ ns.total }} as total, '{{ keys | join(",") }}' as keys, {{ parsed.x[1] }} as x,
                '{{ y.k }}' as y, '{{ tojson({"a": 1}) }}' as j, {{ set([1, 1, 2]) | length }} as distinct_count,
                '{% for a, b in zip([1, 2], ['p', 'q']) %}{{ a }}{{ b }}{% endfor %}' as zipped,
                '{{ modules.datetime.date(2024, 3, 1).strftime('%Y/%m') }}' as month,
                '{{ modules.re.sub('[0-9]+', '#', 'a1b22') }}' as re_sub,
                '{{ "a,b".split(",") | join("|") }}' as split,
                '{{ d.get("z", "none") }}' as missing_key,
                {{ 'yes' if execute else 'no' }} as executing
                """);
        assertThat(sql).isEqualTo("""
                select 6 as total, 'b,a' as keys, 2 as x,
                'v' as y, '{"a": 1}' as j, 2 as distinct_count,
                '1p2q' as zipped,
                '2024/03' as month,
                'a#b#' as re_sub,
                'a|b' as split,
                'none' as missing_key,
                yes as executing""");
    }

    @Test
    void adapterMethodsRunQueryAndStatements() throws IOException {
        project();
        String sql = compile("m", """
                {%- set relation = adapter.get_relation(database=target.database, schema='base', identifier='items') -%}
                {%- set columns = adapter.get_columns_in_relation(relation) -%}
                {%- set labels = run_query('select label from ' ~ relation ~ ' order by id') -%}
                {%- call statement('count', fetch_result=True) -%}
                    select count(*) from {{ ref('items') }}
                {%- endcall -%}
                {%- set count = load_result('count')['data'][0][0] -%}
                select '{{ adapter.type() }}' as type, '{{ adapter.quote('Odd Name') }}' as quoted,
                '{{ relation.identifier }}' as found, '{{ columns | map(attribute='name') | join(',') }}' as columns,
                '{{ labels.columns[0].values() | join(',') }}' as labels, {{ count }} as n,
                {{ 1 if adapter.get_relation(database=none, schema='base', identifier='nothing_here') is none else 0 }} as missing
                """);
        assertThat(sql).isEqualTo("""
                select 'duckdb' as type, '"Odd Name"' as quoted,
                'items' as found, 'id,label' as columns,
                'a,b' as labels, 2 as n,
                1 as missing""");
    }

    @Test
    void logPrintWarnAndWhitespaceControl() throws IOException {
        project();
        String sql = compile("m", """
                {{ log('quiet log') }}{{ log('info log', info=True) }}{{ print('printed') }}
                {%- do exceptions.warn('careful') -%}
                select
                {%- for c in ['a', 'b'] %}
                    {{ c }}{{ ',' if not loop.last }}
                {%- endfor %}
                from t
                """);
        assertThat(sql).isEqualTo("select\n    a,\n    b\nfrom t");
        assertThat(console).contains("info log", "printed").doesNotContain("quiet log")
                .anyMatch(line -> line.contains("careful"));
    }

    @Test
    void generateSchemaAndAliasNamesCanBeOverridden() throws IOException {
        project();
        write("macros/naming.sql", """
                {% macro generate_schema_name(custom_schema_name, node) -%}
                    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
                {%- endmacro %}
                {% macro generate_alias_name(custom_alias_name=none, node=none) -%}
                    {{ 'v_' ~ node.name }}
                {%- endmacro %}
                """);
        String sql = compile("m", "select * from {{ ref('items') }} -- {{ this }}");
        assertThat(sql).isEqualTo("select * from \"base\".\"v_items\" -- \"analytics\".\"v_m\"");
    }
}
